// The floor of the synth rows: a fresh node that reads the documents a synth wrote (cdk.tf.json and
// keybridge.policy.json), parses them, then serializes each with JSON.stringify(value, null, 2) and
// writes it, three times. A process of its own, so that the floor pays for no garbage but its own:
// measured in the synth's process, after it, the floor's collections also swept up what synth left,
// by as much as 100 ms, and by how much changed with synth's own work.
// Usage: node stringify-write.mjs STACK_DIR OUT_DIR. Prints one JSON line: { ms, cpuMs } of the
// middle run by each measure.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [stackDir, outDir] = process.argv.slice(2);
if (!stackDir || !outDir) {
  process.stderr.write("usage: stringify-write.mjs STACK_DIR OUT_DIR\n");
  process.exit(2);
}
const documents = readdirSync(stackDir)
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({ name, value: JSON.parse(readFileSync(join(stackDir, name), "utf8")) }));
mkdirSync(outDir, { recursive: true });
const runs = [];
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const document of documents) writeFileSync(join(outDir, document.name), JSON.stringify(document.value, null, 2));
  const used = process.cpuUsage(cpu);
  runs.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
}
const middle = (figure) => runs.map(figure).sort((a, b) => a - b)[1];
process.stdout.write(`${JSON.stringify({ ms: middle((run) => run.ms), cpuMs: middle((run) => run.cpuMs) })}\n`);
