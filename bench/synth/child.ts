// One synth measurement in its own process (so peak memory is this size's alone):
//   node --import tsx bench/synth/child.ts PROJECTS OUTDIR
// Warms up on a 2-project app, then times declaring and synthesizing PROJECTS projects, then the
// floor: serializing and writing the same two output documents (cdk.tf.json and
// keybridge.policy.json) with JSON.stringify and writeFileSync. Prints one JSON line, with the CPU
// time of both (every thread's: the garbage collector's helpers count) next to their clock time.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "../../provider/index.ts";
import { declareBenchPlatform } from "./app.ts";
import { prepareSynthProcess } from "../../bin/synth-command.ts";

const projects = Number(process.argv[2]);
const outdir = process.argv[3]!;
if (!Number.isInteger(projects) || projects < 1 || projects > 100_000 || !outdir) {
  process.stderr.write("usage: child.ts PROJECTS OUTDIR\n");
  process.exit(2);
}

/** Milliseconds to declare the app, and to synthesize it (validation, resources, both files). */
function synth(count: number, dir: string): { declareMs: number; synthMs: number } {
  const started = performance.now();
  const app = new App({ outdir: dir });
  const stack = new TerraformStack(app, "bench");
  new LocalBackend(stack, { path: "terraform.bench.tfstate" });
  declareBenchPlatform(stack, count);
  const declared = performance.now();
  app.synth();
  return { declareMs: declared - started, synthMs: performance.now() - declared };
}

// Synthesize as `keybridge synth` does.
prepareSynthProcess();
mkdirSync(outdir, { recursive: true });
synth(2, join(outdir, "warm-up"));
const baselineRssBytes = process.memoryUsage().rss;
// The measured span on the monotonic clock (µs), for reading a --cpu-prof profile of this process.
const windowStartUs = Number(process.hrtime.bigint() / 1000n);
// CPU time of the span (user + system, every thread: the garbage collector's helpers too), which a
// busy machine disturbs less than the clock.
const cpuBefore = process.cpuUsage();
const { declareMs, synthMs } = synth(projects, join(outdir, "measured"));
const cpu = process.cpuUsage(cpuBefore);
const windowEndUs = Number(process.hrtime.bigint() / 1000n);
const maxRssBytes = process.resourceUsage().maxRSS * 1024;

const stackDir = join(outdir, "measured", "stacks", "bench");
const documents = readdirSync(stackDir)
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({ name, value: JSON.parse(readFileSync(join(stackDir, name), "utf8")) as unknown, bytes: readFileSync(join(stackDir, name)).length }));
const floorRuns: { ms: number; cpuMs: number }[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const floorCpu = process.cpuUsage();
  for (const document of documents) writeFileSync(join(outdir, `floor-${document.name}`), JSON.stringify(document.value, null, 2));
  const used = process.cpuUsage(floorCpu);
  floorRuns.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
}
const middle = <T>(runs: readonly T[], figure: (run: T) => number) => runs.map(figure).sort((a, b) => a - b)[1]!;
const policy = documents.find((document) => document.name === "keybridge.policy.json")?.value as { projects?: { grants: unknown[] }[] } | undefined;
process.stdout.write(`${JSON.stringify({
  projects,
  grants: policy?.projects?.reduce((sum, project) => sum + project.grants.length, 0) ?? 0,
  ms: declareMs + synthMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  declareMs,
  synthMs,
  floorMs: middle(floorRuns, (run) => run.ms),
  floorCpuMs: middle(floorRuns, (run) => run.cpuMs),
  baselineRssBytes,
  maxRssBytes,
  outputBytes: documents.reduce((sum, document) => sum + document.bytes, 0),
  window: { startUs: windowStartUs, endUs: windowEndUs },
})}\n`);
