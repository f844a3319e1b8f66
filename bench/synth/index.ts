// 3. Synth: generated apps (bench/synth/app.ts) of 10, 100 and 1,000 projects × 3 environments ×
// 5 grants per environment, each measurement in its own process (bench/synth/child.ts) so that
// its peak RSS is its own. Time is declaring plus synthesizing, after a warm-up synth in the same
// process; the floor is serializing and writing the same two output documents, in a fresh process
// after each synth (bench/floor/stringify-write.mjs). The exponent is fitted over the sizes
// (log-log least squares).
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchContext } from "../lib/context.ts";
import { timeNode } from "../lib/process.ts";
import { profilesIn, summarizeProfile, type ProfileSummary } from "../lib/profile.ts";
import { fittedExponent, median } from "../lib/stats.ts";
import type { Row } from "../lib/report.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const child = join(repoRoot, "bench", "synth", "child.ts");
const floor = join(repoRoot, "bench", "floor", "stringify-write.mjs");
export const synthTargetMs = 5_000;
/** Issue 17: synth within this many times of serializing and writing the same output. */
export const synthTargetRatio = 5;
export const synthTargetProjects = 1_000;
export const exponentTarget = 1.2;

/** What the synth child prints. */
interface SynthRun {
  readonly projects: number;
  readonly grants: number;
  readonly ms: number;
  readonly declareMs: number;
  readonly synthMs: number;
  /** CPU time, every thread's, of the measured span. */
  readonly cpuMs: number;
  readonly baselineRssBytes: number;
  readonly maxRssBytes: number;
  readonly outputBytes: number;
  readonly window: { readonly startUs: number; readonly endUs: number };
}

/** A synth run and the floor measured on its output: clock and CPU time of the middle of three runs. */
interface ChildResult extends SynthRun {
  readonly floorMs: number;
  readonly floorCpuMs: number;
}

export interface SynthResult {
  readonly rows: Row[];
  readonly profiles: ProfileSummary[];
  readonly perSize: { projects: number; grants: number; ms: number; declareMs: number; synthMs: number; floorMs: number; cpuMs: number; floorCpuMs: number; maxRssBytes: number; baselineRssBytes: number; outputBytes: number }[];
}

async function runChild(context: BenchContext, projects: number, nodeArgs: readonly string[] = []): Promise<ChildResult | undefined> {
  const outdir = join(context.workDir, `synth-${projects}`);
  rmSync(outdir, { recursive: true, force: true });
  try {
    const run = await timeNode([...nodeArgs, "--import", "tsx", child, String(projects), outdir], { cwd: repoRoot, timeoutMs: 180_000 });
    if (run.code !== 0) {
      context.functionalErrors.push(`synth of ${projects} projects exited ${run.code ?? run.signal}: ${run.stderr.trim().split("\n").slice(0, 3).join(" / ")}`);
      return undefined;
    }
    const synth = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as SynthRun;
    const floored = await timeNode([floor, join(outdir, "measured", "stacks", "bench"), join(outdir, "floor")], { timeoutMs: 180_000 });
    if (floored.code !== 0) {
      context.functionalErrors.push(`the synth floor of ${projects} projects exited ${floored.code ?? floored.signal}: ${floored.stderr.trim().split("\n").slice(0, 3).join(" / ")}`);
      return undefined;
    }
    const { ms, cpuMs } = JSON.parse(floored.stdout.trim()) as { ms: number; cpuMs: number };
    return { ...synth, floorMs: ms, floorCpuMs: cpuMs };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function benchSynth(context: BenchContext): Promise<SynthResult> {
  const sizes = context.quick ? [10, 100] : [10, 100, 1_000];
  const runs = context.quick ? 2 : 3;
  const results = new Map<number, ChildResult[]>(sizes.map((size) => [size, []]));
  for (let run = 0; run < runs; run++) {
    for (const size of run % 2 === 0 ? sizes : [...sizes].reverse()) {
      context.log(`synth: ${size} projects (run ${run + 1} of ${runs})`);
      const result = await runChild(context, size);
      if (result) results.get(size)!.push(result);
    }
  }
  const perSize = sizes.flatMap((projects) => {
    const all = results.get(projects)!;
    if (all.length === 0) return [];
    const pick = (field: Exclude<keyof ChildResult, "window">) => median(all.map((result) => result[field]));
    return [{
      projects,
      grants: all[0]!.grants,
      ms: pick("ms"),
      declareMs: pick("declareMs"),
      synthMs: pick("synthMs"),
      floorMs: pick("floorMs"),
      cpuMs: pick("cpuMs"),
      floorCpuMs: pick("floorCpuMs"),
      maxRssBytes: pick("maxRssBytes"),
      baselineRssBytes: pick("baselineRssBytes"),
      outputBytes: pick("outputBytes"),
    }];
  });
  const rows: Row[] = [];
  for (const size of perSize) {
    const isTarget = size.projects === synthTargetProjects;
    const ratio = size.ms / size.floorMs;
    const met = size.ms < synthTargetMs && ratio <= synthTargetRatio;
    rows.push({
      id: `synth.${size.projects}.time`,
      section: "Synth",
      scenario: `synth ${size.projects.toLocaleString("en-US")} projects (${size.grants.toLocaleString("en-US")} grants): time`,
      measured: { value: size.ms, unit: "ms" },
      floor: { value: size.floorMs, unit: "ms", what: "JSON.stringify + write of the same cdk.tf.json and policy document, in a fresh process" },
      ratio,
      ...(isTarget ? { target: { text: `< 5 s and ≤ ${synthTargetRatio}× floor`, met, ...(met ? {} : { missedBy: `${(size.ms / 1000).toFixed(2)} s, ${ratio.toFixed(1)}× the floor, against 5 s and ${synthTargetRatio}×` }) } } : {}),
      details: { declareMs: size.declareMs, synthMs: size.synthMs, cpuMs: size.cpuMs, floorCpuMs: size.floorCpuMs, outputBytes: size.outputBytes, samplesMs: results.get(size.projects)!.map((result) => result.ms) },
    });
    rows.push({
      id: `synth.${size.projects}.memory`,
      section: "Synth",
      scenario: `synth ${size.projects.toLocaleString("en-US")} projects: peak RSS`,
      measured: { value: size.maxRssBytes / 1024 / 1024, unit: "MB" },
      floor: { value: size.baselineRssBytes / 1024 / 1024, unit: "MB", what: "RSS of the same process after loading and a warm-up synth" },
      ratio: size.maxRssBytes / size.baselineRssBytes,
    });
  }
  if (perSize.length >= 2) {
    const exponent = fittedExponent(perSize.map((size) => size.projects), perSize.map((size) => size.ms));
    const floorExponent = fittedExponent(perSize.map((size) => size.projects), perSize.map((size) => size.floorMs));
    const met = exponent <= exponentTarget;
    rows.push({
      id: "synth.exponent",
      section: "Synth",
      scenario: `synth time growth, ${perSize.map((size) => size.projects).join("/")} projects`,
      measured: { value: exponent, unit: "exponent" },
      floor: { value: floorExponent, unit: "exponent", what: "fitted exponent of the floor's time" },
      ratio: exponent / floorExponent,
      target: { text: `exponent ≤ ${exponentTarget}`, met, ...(met ? {} : { missedBy: `${exponent.toFixed(2)} against ${exponentTarget}` }) },
    });
  }
  const profiles: ProfileSummary[] = [];
  const missed = rows.some((row) => row.section === "Synth" && row.target && !row.target.met);
  if ((missed && !context.quick) || context.profileAll) {
    const largest = perSize.at(-1)!.projects;
    context.log(`synth: profiling ${largest} projects (a target was missed)`);
    const dir = join(context.workDir, "profile-synth");
    mkdirSync(dir, { recursive: true });
    const profiled = await runChild(context, largest, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = profilesIn(dir).at(-1);
    if (file) profiles.push(summarizeProfile(file, `synth of ${largest} projects, declare and synth only (bench/synth/child.ts under --cpu-prof)`, new Map(), profiled?.window));
  }
  return { rows, profiles, perSize };
}
