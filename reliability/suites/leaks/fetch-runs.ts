// The corpus through the Action, end to end: main then post, every value exported to env, step
// outputs and one export file (dotenv or JSON) with every mask encoding requested. Each value
// collects the problems found for it; a run that must be refused by design checks the refusal.
import { existsSync, readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import { parseWorkflowCommand } from "../../../testkit/runner-emulator/workflow-commands.ts";
import type { StepResult } from "../../../testkit/runner-emulator/job.ts";
import { withoutCode } from "../error-line.ts";
import type { CorpusValue } from "./corpus.ts";
import { countScanned, filesUnder, maskEncodingsInput, newJob, runMain, runPost, scanFor, sourceDotenv, stepFileSources, type Context } from "./context.ts";
import { leavesVisibleWhenPrinted, maskLog, printedSources, unmaskedParts, visibleWhenPrinted, type ValueParts } from "./scan.ts";
import { corpusRole } from "./vault-setup.ts";

export interface FetchRunSpec {
  readonly label: string;
  readonly values: readonly CorpusValue[];
  /** Where each value is stored. */
  readonly pathOf: ReadonlyMap<number, string>;
  readonly file: "ci.env" | "secrets.json";
  /** "refuse": a name is not a portable variable name, so main must fail with one line and export nothing. */
  readonly expect: "export" | "refuse";
  /** A value that tries to create this path when the dotenv file is sourced. */
  readonly markerPath: string;
}

export interface FetchRunResult {
  /** Problems per value id (empty: every check on it held in this run). */
  readonly problems: Map<number, string[]>;
  /** What this run checked for every value: "env", "outputs", "dotenv file", "json file", "name refusal". */
  readonly modes: readonly string[];
  readonly main?: StepResult;
}

function describeDifference(got: string | undefined, want: string): string {
  if (got === undefined) return "missing";
  return `differs (${Buffer.byteLength(got, "utf8")} bytes instead of ${Buffer.byteLength(want, "utf8")})`;
}

export async function fetchRun(context: Context, spec: FetchRunSpec, partsFor: (value: CorpusValue) => ValueParts): Promise<FetchRunResult> {
  const problems = new Map(spec.values.map((value) => [value.id, [] as string[]]));
  const everyValue = (problem: string) => spec.values.forEach((value) => problems.get(value.id)!.push(`${spec.label}: ${problem}`));
  const format = spec.file.endsWith(".json") ? "json" : "dotenv";
  const modes = spec.expect === "refuse" ? ["name refusal"] : ["env", "outputs", `${format} file`];
  const inputs = {
    url: context.backend.info.vault.addr,
    role: corpusRole.role,
    secrets: spec.values.map((value) => `${spec.pathOf.get(value.id)} ${value.key} | ${value.name}`).join("\n"),
    "export-env": "true",
    "export-outputs": "true",
    "export-file": spec.file,
    "mask-encodings": maskEncodingsInput,
  };
  const job = await newJob(context);
  let main: StepResult;
  try {
    main = await runMain(context, job, corpusRole.claims, inputs);
  } catch (error) {
    everyValue((error as Error).message);
    return { problems, modes };
  }
  const log = maskLog(main.stdout);
  context.stats.masks += log.count;
  const errorLines = main.stdout.split("\n").filter((line) => /^::error\b/.test(line));

  // Read back what was exported, before post deletes the file.
  let fileValues: Map<string, string> | undefined;
  const file = main.outputs.get("file");
  if (spec.expect === "export") {
    if (main.exitCode !== 0) everyValue(`main failed (exit ${main.exitCode}): ${errorLines.length} error line(s)${errorLines[0] ? `, the first: ${parseWorkflowCommand(errorLines[0])?.data.slice(0, 160)}` : ""}`);
    if (!file || !existsSync(file)) everyValue("main named no export file, or it does not exist");
    else {
      if ((statSync(file).mode & 0o777) !== 0o600) everyValue(`the export file has mode ${(statSync(file).mode & 0o777).toString(8)}, not 600`);
      if (relative(job.runnerTemp, file).startsWith("..")) everyValue("the export file is not under RUNNER_TEMP");
      try {
        if (format === "json") {
          const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
          fileValues = new Map(Object.entries(parsed).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]));
          const extra = [...fileValues.keys()].filter((name) => !spec.values.some((value) => value.name === name));
          if (extra.length > 0) everyValue(`the JSON file holds ${extra.length} name(s) that were not requested`);
        } else {
          fileValues = await sourceDotenv(file, spec.values.map((value) => value.name), context.work);
          if (existsSync(spec.markerPath)) {
            const culprit = spec.values.find((value) => value.value.includes(spec.markerPath));
            if (culprit) problems.get(culprit.id)!.push(`${spec.label}: sourcing the dotenv file ran a command from the value`);
          }
        }
      } catch (error) {
        everyValue(`the ${format} file could not be read back: ${error instanceof Error ? error.message.split("\n")[0] : "error"}`);
      }
    }
  } else {
    if (main.exitCode !== 1) everyValue(`main exited ${main.exitCode}, not 1, although a name is not a portable variable name`);
    if (errorLines.length !== 1) everyValue(`main printed ${errorLines.length} ::error:: lines, not one`);
    const message = errorLines[0] ? withoutCode(parseWorkflowCommand(errorLines[0])?.data ?? "") : "";
    const odd = spec.values.filter((value) => !value.shellName);
    if (errorLines.length === 1 && !(odd.some((value) => message.includes(`"${value.name}" is not a variable name`)) && /^Input secrets, line \d+/.test(message))) {
      everyValue("the error line does not start with its code, then name the secrets line and the refused name");
    }
    if (/\n/.test(message)) everyValue("the error is more than one line");
    if (/\n\s+at .+:\d+:\d+/.test(main.stdout + main.stderr)) everyValue("a stack trace was printed");
    if (main.exportedEnv.size > 0) everyValue(`${main.exportedEnv.size} environment variable(s) were exported although the step failed`);
    const leakedOutputs = spec.values.filter((value) => main.outputs.has(value.name)).length;
    if (leakedOutputs > 0) everyValue(`${leakedOutputs} step output(s) were set although the step failed`);
    const left = filesUnder(job.runnerTemp);
    if (left.length > 0) everyValue(`${left.length} file(s) were left under RUNNER_TEMP by a failed export`);
  }

  let post: StepResult;
  try {
    post = await runPost(context, job, inputs, main);
  } catch {
    everyValue("the runner could not read what post wrote");
    return { problems, modes, main };
  }
  if (post.exitCode !== 0) everyValue(`post exited ${post.exitCode}`);
  if (file && existsSync(file)) everyValue("the export file was still there after post");
  if (spec.expect === "refuse" && filesUnder(job.runnerTemp).length > 0) everyValue("files were left under RUNNER_TEMP after post");

  const sources = [...printedSources(main, "main"), ...stepFileSources(main, "main"), ...printedSources(post, "post"), ...stepFileSources(post, "post")];
  countScanned(context, sources);
  for (const value of spec.values) {
    const list = problems.get(value.id)!;
    const parts = partsFor(value);
    // A refused input stops the step before anything is read: there is nothing to mask, only to not show.
    if (spec.expect === "export") {
      for (const problem of unmaskedParts(parts, log)) list.push(`${spec.label}: ${problem}`);
      for (const problem of visibleWhenPrinted(value.value, parts, log.masks.keys())) list.push(`${spec.label}: ${problem}`);
      for (const problem of leavesVisibleWhenPrinted(value.value, log.masks.keys())) list.push(`${spec.label}: ${problem}`);
    }
    for (const leak of scanFor(context, parts, sources)) list.push(`${spec.label}: ${leak}`);
    if (spec.expect !== "export" || main.exitCode !== 0) continue;
    const env = main.exportedEnv.get(value.name);
    if (env !== value.value) list.push(`${spec.label}: env ${describeDifference(env, value.value)}`);
    const output = main.outputs.get(value.name);
    if (output !== value.value) list.push(`${spec.label}: step output ${describeDifference(output, value.value)}`);
    if (fileValues) {
      const read = fileValues.get(value.name);
      if (read !== value.value) list.push(`${spec.label}: ${format} file read back ${describeDifference(read, value.value)}`);
    }
  }
  return { problems, modes, main };
}

