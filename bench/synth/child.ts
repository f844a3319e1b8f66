// One synth measurement in its own process (so peak memory is this size's alone):
//   node --import tsx bench/synth/child.ts PROJECTS OUTDIR
// Warms up on a 2-project app, then times declaring and synthesizing PROJECTS projects into
// OUTDIR/measured. Prints one JSON line, with the CPU time (every thread's: the garbage collector's
// helpers count) next to the clock time. The floor is measured in a process of its own
// (bench/floor/stringify-write.mjs), on the documents this one wrote.
import { mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
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
const outputBytes = readdirSync(stackDir).filter((name) => name.endsWith(".json")).reduce((sum, name) => sum + statSync(join(stackDir, name)).size, 0);
const policy = JSON.parse(readFileSync(join(stackDir, "keybridge.policy.json"), "utf8")) as { projects?: { grants: unknown[] }[] };
process.stdout.write(`${JSON.stringify({
  projects,
  grants: policy.projects?.reduce((sum, project) => sum + project.grants.length, 0) ?? 0,
  ms: declareMs + synthMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  declareMs,
  synthMs,
  baselineRssBytes,
  maxRssBytes,
  outputBytes,
  window: { startUs: windowStartUs, endUs: windowEndUs },
})}\n`);
