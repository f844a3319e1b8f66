// `npm run reliability [-- --quick] [-- SUITE...]`: runs the suites that try to break Keybridge's
// promises, prints what each tried, held and broke, and (full runs) writes docs/RELIABILITY.md.
// Exit 1 when anything broke.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { broken, type Suite, type SuiteReport } from "./report.ts";
import { renderReliabilityDoc } from "./render-doc.ts";
import { suites } from "./suites/index.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((arg) => !arg.startsWith("--"));
const unknown = only.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`reliability: unknown suite ${unknown.join(", ")}; suites: ${Object.keys(suites).join(", ")}`);
  process.exit(2);
}

const reports: SuiteReport[] = [];
const started = performance.now();
for (const [name, suite] of Object.entries(suites) as Array<[string, Suite]>) {
  if (only.length > 0 && !only.includes(name)) continue;
  const suiteStarted = performance.now();
  console.log(`\n== ${name}${quick ? " (quick)" : ""}`);
  const report = await suite({ quick, log: (line) => console.log(`   ${line}`) });
  reports.push(report);
  const failures = broken(report);
  console.log(`   tried ${report.attempts.length}, held ${report.attempts.length - failures.length}, broke ${failures.length} (${((performance.now() - suiteStarted) / 1000).toFixed(1)} s)`);
  for (const failure of failures) console.log(`   BROKE: ${failure.tried}: ${failure.outcome}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`\nreliability: ${reports.length} suites in ${seconds.toFixed(1)} s`);

if (!quick && only.length === 0) {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const doc = renderReliabilityDoc(reports, { machine, date: new Date().toISOString().slice(0, 10), seconds });
  writeFileSync(fileURLToPath(new URL("../docs/RELIABILITY.md", import.meta.url)), doc);
  console.log("wrote docs/RELIABILITY.md");
}
process.exitCode = reports.some((report) => broken(report).length > 0) ? 1 : 0;
