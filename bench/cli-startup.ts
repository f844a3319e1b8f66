// 2b. CLI start-up: the compiled `keybridge` command (what `npm pack` ships, built here into the
// bench's work directory) for `--help` and for a `plan` of two small policy documents, against
// `node -e ''`, interleaved in the same run. Each command loads only its own modules, so the
// target is a median of at most 3× the bare start.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchContext } from "./lib/context.ts";
import { timeNode, type Timed } from "./lib/process.ts";
import { median, pairedRatio } from "./lib/stats.ts";
import { sampleInterleaved } from "./lib/interleave.ts";
import type { Row } from "./lib/report.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
export const cliStartupTargetRatio = 3;

/** Builds the package as `npm pack` would into <workDir>/cli/build, with the repository's node_modules beside it. */
function buildPackage(context: BenchContext): string {
  const dir = join(context.workDir, "cli");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  const result = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-package.mjs"), join(dir, "build")], { cwd: repoRoot, encoding: "utf8", timeout: 300_000 });
  if (result.status !== 0) throw new Error(`scripts/build-package.mjs failed: ${(result.stdout + result.stderr).slice(0, 500)}`);
  return join(dir, "build", "bin", "keybridge.js");
}

/** Two small policy documents: the example's, and the same with one grant's token lifetime doubled. */
function writePlanDocuments(context: BenchContext): { base: string; head: string } {
  const source = join(repoRoot, "test", "provider", "__snapshots__", "ml-training.policy.json");
  const document = JSON.parse(readFileSync(source, "utf8")) as { projects: Array<{ grants: Array<{ tokenTtlSeconds: number; tokenMaxTtlSeconds: number }> }> };
  const base = join(context.workDir, "base.policy.json");
  const head = join(context.workDir, "head.policy.json");
  writeFileSync(base, JSON.stringify(document));
  const grant = document.projects[0]!.grants[0]!;
  grant.tokenTtlSeconds *= 2;
  grant.tokenMaxTtlSeconds = Math.max(grant.tokenMaxTtlSeconds, grant.tokenTtlSeconds);
  writeFileSync(head, JSON.stringify(document));
  return { base, head };
}

export async function benchCliStartup(context: BenchContext): Promise<Row[]> {
  context.log("start-up: the compiled keybridge CLI (--help, plan) against node -e ''");
  const cli = buildPackage(context);
  const { base, head } = writePlanDocuments(context);
  const expect = (what: string, ok: (run: Timed) => boolean) => (run: Timed) => {
    if (!ok(run)) context.functionalErrors.push(`keybridge ${what} exited ${run.code}: ${(run.stderr || run.stdout).slice(0, 200)}`);
    return run;
  };
  const variants = {
    bare: () => timeNode(["-e", ""], { cwd: context.workDir }),
    help: async () => expect("--help", (run) => run.code === 0 && run.stdout.includes("Commands:"))(await timeNode([cli, "--help"], { cwd: context.workDir })),
    plan: async () => expect("plan", (run) => run.code === 0 && run.stdout.includes("token lifetime"))(await timeNode([cli, "plan", "--base", base, "--head", head], { cwd: context.workDir })),
  };
  const samples = await sampleInterleaved(variants, context.quick);
  const bare = median(samples.bare);
  const row = (id: "help" | "plan", scenario: string): Row => {
    const measured = median(samples[id]);
    const ratio = measured / bare;
    const met = ratio <= cliStartupTargetRatio;
    return {
      id: `startup.cli-${id}`,
      section: "Start-up and bundles",
      scenario,
      measured: { value: measured, unit: "ms" },
      floor: { value: bare, unit: "ms", what: "node -e ''" },
      ratio: pairedRatio(samples[id], samples.bare),
      target: { text: `median ≤ ${cliStartupTargetRatio}× floor (${ratio.toFixed(2)}×)`, met, ...(met ? {} : { missedBy: `${ratio.toFixed(2)}× the bare start, ${cliStartupTargetRatio}× allowed` }) },
      details: { samplesMs: samples[id], floorSamplesMs: samples.bare },
    };
  };
  return [row("help", "start-up: keybridge --help (compiled CLI)"), row("plan", "start-up: keybridge plan of two small documents")];
}
