// 2a. Start-up: `node dist/main.js` with no inputs (it fails fast on the missing url input) against
// `node -e ''`, the bare start of node, interleaved in the same run. Also shown, as information:
// `node -e "require('undici')"` from node_modules, the module load the Action floor pays.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchContext } from "./lib/context.ts";
import { cleanEnv, timeNode } from "./lib/process.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { median, pairedDifference, pairedRatio } from "./lib/stats.ts";
import { sampleInterleaved } from "./lib/interleave.ts";
import type { Row } from "./lib/report.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
export const startupBudgetMs = 20;

export interface StartupResult {
  readonly rows: Row[];
  readonly profiles: ProfileSummary[];
}

export async function benchStartup(context: BenchContext, chunkOwners: ReadonlyMap<string, string>): Promise<StartupResult> {
  context.log("start-up: node dist/main.js against node -e ''");
  const mainScript = join(context.distDir, "main.js");
  const variants = {
    bare: () => timeNode(["-e", ""], { cwd: repoRoot }),
    main: async () => {
      const run = await timeNode([mainScript], { cwd: repoRoot });
      // The line starts with its error code since errors became a contract (issue 12).
      if (run.code !== 1 || !/::error::(KB_[A-Z_]+: )?Input url/.test(run.stdout)) {
        context.functionalErrors.push(`dist/main.js without inputs exited ${run.code} without the missing-url error: ${run.stdout.slice(0, 200)}`);
      }
      return run;
    },
    undici: () => timeNode(["-e", "require('undici')"], { cwd: repoRoot }),
  };
  const samples = await sampleInterleaved(variants, context.quick);
  const bare = median(samples.bare);
  const main = median(samples.main);
  const undici = median(samples.undici);
  const over = pairedDifference(samples.main, samples.bare);
  const met = over <= startupBudgetMs;
  const rows: Row[] = [
    {
      id: "startup.main",
      section: "Start-up and bundles",
      scenario: "start-up: dist/main.js, missing input",
      measured: { value: main, unit: "ms" },
      floor: { value: bare, unit: "ms", what: "node -e ''" },
      ratio: pairedRatio(samples.main, samples.bare),
      target: { text: `≤ floor + ${startupBudgetMs} ms (+${over.toFixed(1)} ms)`, met, ...(met ? {} : { missedBy: `${over.toFixed(1)} ms over the bare start, ${(over - startupBudgetMs).toFixed(1)} ms more than the ${startupBudgetMs} ms allowed` }) },
      details: { overBareMs: over, samplesMs: samples.main, floorSamplesMs: samples.bare },
    },
    {
      id: "startup.undici",
      section: "Start-up and bundles",
      scenario: "start-up: require('undici') from node_modules",
      measured: { value: undici, unit: "ms" },
      floor: { value: bare, unit: "ms", what: "node -e ''" },
      ratio: pairedRatio(samples.undici, samples.bare),
      details: { overBareMs: pairedDifference(samples.undici, samples.bare), samplesMs: samples.undici },
    },
  ];
  const profiles: ProfileSummary[] = [];
  if ((!met && !context.quick) || context.profileAll) {
    const dir = join(context.workDir, "profile-startup");
    mkdirSync(dir, { recursive: true });
    await timeNode(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-name=main.cpuprofile", "--cpu-prof-interval=100", mainScript], { cwd: repoRoot, env: cleanEnv() });
    profiles.push(summarizeProfile(join(dir, "main.cpuprofile"), "node dist/main.js without inputs", chunkOwners));
  }
  return { rows, profiles };
}
