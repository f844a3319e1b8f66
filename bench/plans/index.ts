// 4. Plans: buildPlan (diff + risk) and renderMarkdown for 100, 1,000 and 10,000 grants changed
// (and, cold, as a command: 10,000 changed, and one changed in the same base),
// in-process after a warm-up. Floor: the least a plan could do with the same documents, a keyed
// comparison of the grants' JSON and one line per difference, cut at 60,000 characters, run
// alternately with the measured runs. The comment's length is checked against GitHub's limit for
// every size and for an input of long names and reasons.
import { Session } from "node:inspector/promises";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PolicyDocument } from "../../policy/document.ts";
import { buildPlan } from "../../policy/plan.ts";
import { renderMarkdown } from "../../policy/render/index.ts";
import { planDocuments } from "./documents.ts";
import type { BenchContext } from "../lib/context.ts";
import { timeNode } from "../lib/process.ts";
import { summarizeProfile, type ProfileSummary } from "../lib/profile.ts";
import { alternate, median, pairedRatio } from "../lib/stats.ts";
import type { Row } from "../lib/report.ts";

export const planTargetMs = 500;
export const planTargetGrants = 10_000;
export const commentLimit = 65_536;
/** The cold command, start-up included, within this many times a fresh node reading and parsing both inputs. */
export const coldTargetRatio = 4;

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const readParseFloor = fileURLToPath(new URL("../floor/read-parse.mjs", import.meta.url));

/** The installed `keybridge` command, as package.json's bin names it. */
function keybridgeBin(): string {
  const { bin } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string> };
  return join(repoRoot, bin.keybridge!);
}

interface ColdCase {
  readonly id: string;
  readonly scenario: string;
  readonly files: string;
  readonly documents: { readonly base: PolicyDocument; readonly head: PolicyDocument };
}

/**
 * `keybridge plan --format markdown` as a user runs it (a new process, start-up included) against a
 * new node that reads and parses the same two files. Also returns the command, for profiling.
 */
async function coldPlanRow(context: BenchContext, cold: ColdCase): Promise<{ row: Row; command: string[] }> {
  const baseFile = join(context.workDir, `${cold.files}-base.json`);
  const headFile = join(context.workDir, `${cold.files}-head.json`);
  writeFileSync(baseFile, JSON.stringify(cold.documents.base));
  writeFileSync(headFile, JSON.stringify(cold.documents.head));
  const command = [keybridgeBin(), "plan", "--base", baseFile, "--head", headFile, "--format", "markdown", "--stack", "bench"];
  const run = (args: readonly string[], what: string) => async () => {
    const result = await timeNode(args, { timeoutMs: 120_000 });
    if (result.code !== 0) context.functionalErrors.push(`${what} exited ${result.code}: ${result.stderr.split("\n")[0]?.slice(0, 200)}`);
    return result.ms;
  };
  const samples = await alternate({ warmups: 1, runs: 5 }, run([readParseFloor, baseFile, headFile], "the read+parse floor"), run(command, "keybridge plan"));
  const ratio = pairedRatio(samples.measured, samples.floor);
  const met = ratio <= coldTargetRatio;
  const row: Row = {
    id: cold.id,
    section: "Plans",
    scenario: cold.scenario,
    measured: { value: median(samples.measured), unit: "ms" },
    floor: { value: median(samples.floor), unit: "ms", what: "bench/floor/read-parse.mjs: a new node that reads and JSON-parses both documents" },
    ratio,
    target: { text: `≤ ${coldTargetRatio}× floor`, met, ...(met ? {} : { missedBy: `${ratio.toFixed(1)}× against ${coldTargetRatio}×` }) },
    details: { samplesMs: samples.measured, floorSamplesMs: samples.floor, command: command.slice(1).join(" ") },
  };
  return { row, command };
}

const coldProfileSubject = "one cold run, start-up included (node --cpu-prof)";

/** Which row a profile of this section explains: the cold command's own, or the in-process rows'. */
export function plansProfileFits(row: Row, profile: ProfileSummary): boolean {
  return (row.id === "plans.cold-command") === profile.subject.endsWith(coldProfileSubject);
}

/** One cold run of the command under node's --cpu-prof: where a new process spends a plan's time. */
async function profileColdPlan(context: BenchContext, command: readonly string[], subject: string): Promise<ProfileSummary | undefined> {
  const dir = join(context.workDir, "profile-cold-plan");
  mkdirSync(dir, { recursive: true });
  const run = await timeNode(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-name=plan.cpuprofile", "--cpu-prof-interval=100", ...command], { timeoutMs: 120_000 });
  if (run.code !== 0) {
    context.functionalErrors.push(`the profiled keybridge plan exited ${run.code}: ${run.stderr.split("\n")[0]?.slice(0, 200)}`);
    return undefined;
  }
  return summarizeProfile(join(dir, "plan.cpuprofile"), subject);
}

/** The usual pull request: one grant's token lifetimes doubled, against the large case's base document. */
function oneChange(documents: { base: PolicyDocument; head: PolicyDocument }): { base: PolicyDocument; head: PolicyDocument } {
  const [first, ...rest] = documents.base.projects;
  const [grant, ...others] = first!.grants;
  const changed = { ...first!, grants: [{ ...grant!, tokenTtlSeconds: grant!.tokenTtlSeconds * 2, tokenMaxTtlSeconds: grant!.tokenMaxTtlSeconds * 2 }, ...others] };
  return { base: documents.base, head: { ...documents.base, projects: [changed, ...rest] } };
}

/** The plan's floor: which grants differ, by key and JSON, and one line for each. */
export function floorPlan(base: PolicyDocument, head: PolicyDocument): string {
  const grants = (document: PolicyDocument) =>
    new Map(document.projects.flatMap((project) => project.grants.map((grant) => [`${project.name}/${grant.id}`, JSON.stringify(grant)] as const)));
  const before = grants(base);
  const after = grants(head);
  const lines: string[] = [];
  for (const [key, json] of after) {
    const old = before.get(key);
    if (old === undefined) lines.push(`- added ${key}`);
    else if (old !== json) lines.push(`- changed ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`- removed ${key}`);
  return lines.join("\n").slice(0, 60_000);
}

function plan(base: PolicyDocument, head: PolicyDocument): { text: string; grants: number } {
  const built = buildPlan({ base, head });
  const text = renderMarkdown(built, { marker: "bench" });
  return { text, grants: built.counts.grants.added + built.counts.grants.removed + built.counts.grants.changed };
}

export interface PlansResult {
  readonly rows: Row[];
  readonly profiles: ProfileSummary[];
}

export async function benchPlans(context: BenchContext): Promise<PlansResult> {
  const sizes = context.quick ? [100, 1_000] : [100, 1_000, 10_000];
  const runs = context.quick ? 3 : 7;
  const documents = new Map(sizes.map((size) => [size, planDocuments(size)]));
  const rows: Row[] = [];
  const profiles: ProfileSummary[] = [];
  const lengths: { input: string; length: number }[] = [];
  context.log("plans: warm-up");
  for (const size of sizes) {
    const { base, head } = documents.get(size)!;
    plan(base, head);
    floorPlan(base, head);
  }
  for (const size of sizes) {
    context.log(`plans: ${size} grants changed`);
    const { base, head } = documents.get(size)!;
    let grants = 0;
    let length = 0;
    const timed = <T>(work: () => T, keep: (value: T) => void) => async () => {
      const started = performance.now();
      const value = work();
      const ms = performance.now() - started;
      keep(value);
      return ms;
    };
    const samples = await alternate(
      { warmups: 1, runs },
      timed(() => floorPlan(base, head), () => {}),
      timed(() => plan(base, head), (value) => {
        grants = value.grants;
        length = value.text.length;
      }),
    );
    if (grants !== size) context.functionalErrors.push(`the plan of ${size} changed grants counts ${grants}`);
    lengths.push({ input: `${size} grants changed`, length });
    const measured = median(samples.measured);
    const floor = median(samples.floor);
    const isTarget = size === planTargetGrants;
    const met = measured < planTargetMs;
    rows.push({
      id: `plans.${size}`,
      section: "Plans",
      scenario: `plan + markdown, ${size.toLocaleString("en-US")} grants changed`,
      measured: { value: measured, unit: "ms" },
      floor: { value: floor, unit: "ms", what: "keyed JSON comparison of the grants, one line each" },
      ratio: pairedRatio(samples.measured, samples.floor),
      ...(isTarget ? { target: { text: "< 0.5 s", met, ...(met ? {} : { missedBy: `${measured.toFixed(0)} ms against 500 ms: ${(measured / planTargetMs).toFixed(2)}× the target` }) } } : {}),
      details: { samplesMs: samples.measured, floorSamplesMs: samples.floor, commentLength: length },
    });
  }
  if (!context.quick) {
    const large = documents.get(planTargetGrants)!;
    const grants = planTargetGrants.toLocaleString("en-US");
    context.log(`plans: keybridge plan, ${planTargetGrants} grants changed, cold`);
    const cold = await coldPlanRow(context, { id: "plans.cold-command", scenario: `keybridge plan --format markdown, ${grants} grants changed, cold command`, files: "plan", documents: large });
    rows.push(cold.row);
    context.log("plans: keybridge plan, one grant changed in the same base, cold");
    rows.push((await coldPlanRow(context, { id: "plans.cold-command-one-change", scenario: `keybridge plan --format markdown, 1 grant changed in the same base, cold command`, files: "plan-one", documents: oneChange(large) })).row);
    if (!cold.row.target?.met || context.profileAll) {
      context.log("plans: profiling one cold keybridge plan");
      const profile = await profileColdPlan(context, cold.command, `keybridge plan --format markdown, ${grants} grants changed: ${coldProfileSubject}`);
      if (profile) profiles.push(profile);
    }
  }
  const long = planDocuments(context.quick ? 1_000 : 10_000, true);
  lengths.push({ input: `${context.quick ? 1_000 : 10_000} grants changed, every name and reason 200-300 characters`, length: plan(long.base, long.head).text.length });
  const longest = Math.max(...lengths.map((entry) => entry.length));
  rows.push({
    id: "plans.comment",
    section: "Plans",
    scenario: "plan comment length, largest of all inputs",
    measured: { value: longest, unit: "chars" },
    floor: { value: commentLimit, unit: "chars", what: "GitHub's comment limit (65,536)" },
    ratio: longest / commentLimit,
    target: { text: "< 65,536 chars", met: longest < commentLimit, ...(longest < commentLimit ? {} : { missedBy: `${longest - commentLimit + 1} characters over` }) },
    details: { lengths },
  });

  const missed = rows.find((row) => row.id === `plans.${planTargetGrants}` && row.target && !row.target.met);
  const profiledSize = Math.max(...sizes);
  if ((missed && !context.quick) || context.profileAll) {
    context.log(`plans: profiling ${profiledSize} grants changed`);
    const { base, head } = documents.get(profiledSize)!;
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    for (let i = 0; i < 3; i++) plan(base, head);
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    const file = join(context.workDir, "plans.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    profiles.push(summarizeProfile(file, `buildPlan + renderMarkdown, ${profiledSize.toLocaleString("en-US")} grants changed, 3 runs (V8 sampling profiler, as node --cpu-prof)`));
  }
  return { rows, profiles };
}
