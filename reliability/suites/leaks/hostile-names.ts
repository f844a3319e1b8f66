// What whoever can write a secret's keys or values can try against the jobs that read it (issue
// 16): keys that would set the variables deciding what later steps run, keys that try to break the
// job summary or split an annotation, values too large for a process to start with, and an export
// that fails half way. Each attempt runs the committed bundle against `keybridge dev`.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { oidcEnv } from "../../../testkit/admin/oidc-jobs.ts";
import type { StepResult } from "../../../testkit/runner-emulator/job.ts";
import { parseWorkflowCommand } from "../../../testkit/runner-emulator/workflow-commands.ts";
import type { Attempt } from "../../report.ts";
import { withoutCode } from "../error-line.ts";
import { filesUnder, mainScript, newJob, type Context } from "./context.ts";
import { printedSources, type Source } from "./scan.ts";
import { createRole, writeSecret, type RoleSpec } from "./vault-setup.ts";

/** The names issue 16 reported, then their kin from every family the names policy knows. */
const reportedNames = ["BASH_ENV", "PATH", "LD_PRELOAD", "NODE_OPTIONS", "GITHUB_ENV", "RUNNER_TEMP", "ACTIONS_ID_TOKEN_REQUEST_URL", "HOME", "GIT_SSH_COMMAND"];
const moreNames = ["LD_AUDIT", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "ENV", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "IFS", "CDPATH",
  "GITHUB_PATH", "GITHUB_OUTPUT", "RUNNER_TOOL_CACHE", "ACTIONS_RUNTIME_TOKEN", "INPUT_TOKEN", "STATE_TOKEN", "NODE_PATH", "NODE_EXTRA_CA_CERTS",
  "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "GIT_ASKPASS", "GIT_CONFIG_COUNT", "GIT_EXEC_PATH", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
  "SSL_CERT_FILE", "PERL5OPT", "RUBYOPT", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS"];
const workflowNamed = { silent: ["GITHUB_TOKEN", "AWS_ACCESS_KEY_ID", "NPMJS_TOKEN"], warned: ["PATH", "LD_PRELOAD", "BASH_ENV", "NODE_OPTIONS"] };
const markupKeys = ["x\n# Owned heading", "a | b | c", "[click](https://evil.example)", "<img src=x onerror=alert(1)>", "@admin please", "tick`tock", "::error::split", "##[add-mask]x", "line\r\nbreak"];

const role: RoleSpec = { role: "hostile-names", claims: { repository: "acme/hostile", ref: "refs/heads/main" }, paths: [] };
const pathFor = (name: string) => `secret/data/hostile/${name.toLowerCase()}`;
const canary = (label: string) => `kbhostile-${label}-${randomBytes(8).toString("hex")}`;

interface Run {
  readonly step: StepResult;
  readonly errors: string[];
  readonly warnings: string[];
  readonly leftFiles: number;
}

async function run(context: Context, secrets: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<Run> {
  const job = await newJob(context);
  context.stats.steps += 1;
  const step = await job.runStep(mainScript, {
    inputs: { url: context.backend.info.vault.addr, role: role.role, secrets, "export-outputs": "true", "export-file": "ci.env", ...inputs },
    env: { ...oidcEnv(await context.backend.mintJob(role.claims)), ...env },
    timeoutMs: 60_000,
  });
  const commands = step.stdout.split("\n").map((line) => parseWorkflowCommand(line)).filter((command) => command !== undefined);
  return {
    step,
    errors: commands.filter((command) => command.command === "error").map((command) => command.data),
    warnings: commands.filter((command) => command.command === "warning").map((command) => command.data),
    leftFiles: filesUnder(job.runnerTemp).length,
  };
}

/** Problems with a run that must fail: one error line matching `message`, nothing exported, no value shown. */
function refusalProblems(result: Run, message: RegExp, values: readonly string[]): string[] {
  const { step, errors } = result;
  const shown: Source[] = printedSources(step, "main");
  return [
    ...(step.exitCode === 1 ? [] : [`exit ${step.exitCode}, not 1`]),
    ...(errors.length === 1 ? [] : [`${errors.length} error annotations, not one`]),
    ...(errors.length === 1 && !message.test(withoutCode(errors[0]!)) ? [`the error does not start with its code and say what was expected: ${errors[0]!.slice(0, 200)}`] : []),
    ...(errors.some((error) => /[\r\n]/.test(error)) ? ["the error is more than one line"] : []),
    ...(step.exportedEnv.size > 0 ? [`${step.exportedEnv.size} variable(s) reached GITHUB_ENV`] : []),
    ...(step.outputs.size > 0 ? [`${step.outputs.size} output(s) reached GITHUB_OUTPUT`] : []),
    ...(result.leftFiles > 0 ? [`${result.leftFiles} file(s) left under RUNNER_TEMP`] : []),
    ...values.filter((value) => shown.some((source) => source.text.includes(value))).map(() => "a secret value was printed"),
  ];
}

function attempt(tried: string, problems: readonly string[], held: string, kind: string): Attempt {
  return { tried, outcome: problems.length === 0 ? held : problems.join("; "), held: problems.length === 0, details: { kind } };
}

/** Steps at a time: enough to overlap the backend's waits, few enough for a 2-core machine. */
const parallelSteps = 4;

async function inBatches<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += parallelSteps) {
    results.push(...await Promise.all(items.slice(start, start + parallelSteps).map((item, offset) => work(item, start + offset))));
  }
  return results;
}

async function controlNameAttempts(context: Context, names: readonly string[]): Promise<Attempt[]> {
  return inBatches(names, async (name, index) => {
    const key = name.toLowerCase();
    const values = [canary(`${index}a`), canary(`${index}b`)];
    await writeSecret(context.admin, pathFor(name), { [key]: values[0]!, ordinary: values[1]! });
    const selector = index % 4 === 3 ? "**" : "*";
    const result = await run(context, `${pathFor(name)} ${selector}`);
    const expected = new RegExp(`key "${key}" gives ${selector === "**" ? key : name} \\(read by [^)]+\\).*nothing was exported.*allow-names`);
    return attempt(`a \`${selector}\` read of a secret with key \`${key}\` (would set ${name} for every later step)`, refusalProblems(result, expected, values),
      `refused in one line naming the key, the path and allow-names; nothing exported`, "names from keys");
  });
}

async function allowedNameAttempt(context: Context): Promise<Attempt> {
  await writeSecret(context.admin, pathFor("allowed"), { java_tool_options: "-Xmx1g", ordinary: canary("allowed") });
  const result = await run(context, `${pathFor("allowed")} *`, { "allow-names": "JAVA_TOOL_OPTIONS" });
  const problems = [
    ...(result.step.exitCode === 0 ? [] : [`exit ${result.step.exitCode}: ${result.errors[0]?.slice(0, 160) ?? ""}`]),
    ...(result.step.exportedEnv.has("JAVA_TOOL_OPTIONS") ? [] : ["JAVA_TOOL_OPTIONS was not exported"]),
    ...(result.warnings.some((line) => /exports JAVA_TOOL_OPTIONS .*allow-names input lists it/.test(line)) ? [] : ["no warning names JAVA_TOOL_OPTIONS"]),
  ];
  return attempt("the same read with allow-names: JAVA_TOOL_OPTIONS", problems, "exported, with a warning that it decides what later programs run", "names from keys");
}

async function workflowNamedAttempts(context: Context): Promise<Attempt[]> {
  const names = [...workflowNamed.silent, ...workflowNamed.warned];
  const values = Object.fromEntries(names.map((name) => [name.toLowerCase(), canary(name.toLowerCase())]));
  await writeSecret(context.admin, pathFor("workflow-named"), values);
  const result = await run(context, names.map((name) => `${pathFor("workflow-named")} ${name.toLowerCase()} | ${name}`).join("\n"));
  return names.map((name) => {
    const warned = result.warnings.filter((line) => line.includes(`exports ${name} `));
    const shouldWarn = workflowNamed.warned.includes(name);
    const problems = [
      ...(result.step.exitCode === 0 ? [] : [`exit ${result.step.exitCode}: ${result.errors[0]?.slice(0, 160) ?? ""}`]),
      ...(result.step.exportedEnv.get(name) === values[name.toLowerCase()] ? [] : [`${name} was not exported exactly`]),
      ...(warned.length === (shouldWarn ? 1 : 0) ? [] : [`${warned.length} warnings about ${name}, expected ${shouldWarn ? 1 : 0}`]),
    ];
    return attempt(`the workflow writes \`| ${name}\``, problems, shouldWarn ? "exported (the workflow's choice), with one warning line" : "exported (the workflow's choice), no warning", "names the workflow wrote");
  });
}

/** Markdown with its code spans removed: what GitHub would render as markup, links and mentions. */
const outsideCode = (markdown: string) => markdown.replace(/<code>[^<]*<\/code>/g, "").replace(/`[^`\n]*`/g, "");

/** A table row of the summary: its cells split at the pipes markdown would split at. */
const cellsOf = (row: string) => row.split(/(?<!\\)\|/).length - 2;

async function markupAttempts(context: Context): Promise<Attempt[]> {
  const values = Object.fromEntries(markupKeys.map((key, index) => [key, canary(`markup${index}`)]));
  await writeSecret(context.admin, pathFor("markup"), values);
  const exported = await run(context, `${pathFor("markup")} **`, { "export-file": "" });
  const rows = exported.step.summary.split("\n").filter((line) => line.startsWith("|") && !line.startsWith("|---") && !line.startsWith("| Name"));
  const summaryProblems = [
    ...(exported.step.exitCode === 0 ? [] : [`exit ${exported.step.exitCode}: ${exported.errors[0]?.slice(0, 160) ?? ""}`]),
    ...(rows.length === markupKeys.length ? [] : [`${rows.length} table rows for ${markupKeys.length} secrets`]),
    ...rows.filter((row) => cellsOf(row) !== 4).map((row) => `a row with ${cellsOf(row)} cells`),
    ...(/^#(?!## Keybridge)/m.test(exported.step.summary) ? ["a key made a heading"] : []),
    ...(/<img|\]\(http|@admin/.test(outsideCode(exported.step.summary)) ? ["a key left active markup (image, link or mention)"] : []),
    ...(exported.errors.length + exported.warnings.length > 0 ? ["a key name made an annotation"] : []),
  ];
  const missing = await run(context, `${pathFor("markup")} absent | ABSENT`, { "export-file": "" });
  const errorProblems = refusalProblems(missing, /has no key "absent" .*its keys are .*x␤# Owned heading/, Object.values(values));
  return [
    attempt(`a \`**\` read of keys holding line breaks, a heading, pipes, a link, an img tag, an at-mention, backticks and workflow commands (${markupKeys.length} keys)`,
      summaryProblems, "each key stays inside its table cell; no heading, link, image, mention or annotation", "markup in key names"),
    attempt("an error that lists those keys", errorProblems, "one annotation, one line, keys shown with their line breaks made visible", "markup in key names"),
  ];
}

async function sizeAttempts(context: Context): Promise<Attempt[]> {
  const big = "b".repeat(1024 * 1024);
  const many = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`part_${index}`, String(index % 10).repeat(100 * 1024)]));
  await writeSecret(context.admin, pathFor("big"), { blob: big });
  await writeSecret(context.admin, pathFor("many"), many);
  const one = await run(context, `${pathFor("big")} blob | BLOB`);
  const total = await run(context, `${pathFor("many")} *`);
  const toFile = await run(context, `${pathFor("big")} blob | BLOB`, { "export-env": "false", "export-outputs": "false", "export-file": "big.env" });
  return [
    attempt("a 1 MiB value exported to the environment", refusalProblems(one, /^BLOB \(1024 KiB\) is over the 128 KiB .*E2BIG.*nothing was exported.*export-file/, []),
      "refused in one line naming it and its size; nothing exported", "sizes"),
    attempt("eleven 100 KiB values exported to the environment", refusalProblems(total, /^the environment would hold .*largest PART_\d+ 100 KiB.*ARG_MAX.*nothing was exported/, []),
      "refused in one line naming the largest and the total; nothing exported", "sizes"),
    attempt("the 1 MiB value to export-file alone", toFile.step.exitCode === 0 ? [] : [`exit ${toFile.step.exitCode}: ${toFile.errors[0]?.slice(0, 160) ?? ""}`],
      "exported to the file", "sizes"),
  ];
}

async function halfExportAttempts(context: Context): Promise<Attempt[]> {
  const value = canary("half");
  await writeSecret(context.admin, pathFor("half"), { password: value });
  const noOutput = await run(context, `${pathFor("half")} password | PASSWORD`, {}, { GITHUB_OUTPUT: "" });
  const noEnvDir = await run(context, `${pathFor("half")} password | PASSWORD`, {}, { GITHUB_ENV: join(context.work, "no-such-dir", "env") });
  return [
    attempt("GITHUB_OUTPUT missing", refusalProblems(noOutput, /GITHUB_OUTPUT is not set/, [value]), "fails before anything reaches GITHUB_ENV or the export file", "all or nothing"),
    attempt("GITHUB_ENV in a directory that does not exist", refusalProblems(noEnvDir, /GITHUB_ENV names .* cannot be written/, [value]), "fails before anything reaches GITHUB_OUTPUT or the export file", "all or nothing"),
  ];
}

/** Every hostile-names attempt; the quick form keeps the names issue 16 reported. */
export async function hostileNameAttempts(context: Context, quick: boolean): Promise<Attempt[]> {
  const names = quick ? reportedNames : [...reportedNames, ...moreNames];
  await createRole(context.admin, { ...role, paths: [...names, "workflow-named", "markup", "big", "many", "half", "allowed"].map(pathFor) });
  const attempts = await controlNameAttempts(context, names);
  attempts.push(await allowedNameAttempt(context));
  attempts.push(...await workflowNamedAttempts(context));
  attempts.push(...await markupAttempts(context));
  attempts.push(...await sizeAttempts(context));
  attempts.push(...await halfExportAttempts(context));
  return attempts;
}
