// Suite 1, leaks: an adversarial corpus through the real Action bundle against `keybridge dev`, and
// canaries in every other flow. A value held when every line and requested encoding of it was
// masked before any output could carry it, none of them shows up anywhere the job or the backend
// writes, and every export mode hands it over exactly (or, where that is impossible by design, the
// Action refuses with one line and exports nothing).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import type { LocalJob } from "../../../testkit/runner-emulator/job.ts";
import type { Attempt, Suite, SuiteReport } from "../../report.ts";
import { auditFlow, aclRefusedRead, postStep, refusedLogin, seedCanaries, type Canary, type FlowResult } from "./canaries.ts";
import type { Context } from "./context.ts";
import { countScanned, scanFor } from "./context.ts";
import { buildCorpus, longBytes, quickSubset, seed, type CorpusValue } from "./corpus.ts";
import { fetchRun, type FetchRunResult } from "./fetch-runs.ts";
import { hostileNameAttempts } from "./hostile-names.ts";
import { planFlow, writePlanFixture } from "./plan-canaries.ts";
import { isJsonObject, jsonLinesText, partsOf, type Source, type ValueParts } from "./scan.ts";
import { corpusRole, createRole, enableBasics, layOut, writeSecret } from "./vault-setup.ts";

const about =
  "Every secret value is masked before anything could print it and is never printed, whatever it holds. " +
  "A corpus of adversarial values (PEM keys and certificates, pretty-printed JSON, %-escapes, CR/LF in every combination, " +
  "workflow-command and expression syntax, quotes, backslashes, tabs and edge spaces, unicode and emoji, 64 KiB values, " +
  "one- and two-character lines, values inside and encoded forms of other values, the runner's heredoc delimiter, " +
  "empty-ish values; the rest generated from a fixed seed) is stored in `keybridge dev` (KV v2, several paths, one role granted exactly those paths), " +
  "then the committed bundles dist/main.js and dist/post.js run end to end under the runner's file protocol with every value exported to env, " +
  "step outputs and a dotenv file, then to env, outputs and a JSON file, with mask-encodings base64,base64url,url,json. " +
  "Per value: the whole value, every line (cut where the runner cuts lines: LF, CRLF and a lone CR) and every requested encoding is registered with ::add-mask:: " +
  "before the first output after the reads; none of them appears in stdout, stderr, ::error::/::warning:: messages, the job summary, the saved state, " +
  "the post step, the dev backend's --verbose log or its audit log; the env values, step outputs, the dotenv file sourced by bash and the JSON file read back exactly. " +
  "Canaries are seeded into a refused login, a read refused by the ACL, the post step, the audit log and `keybridge plan` with a terraform plan holding secrets. " +
  "Whoever can write a secret's keys tries to set what later steps run: `*` and `**` reads with keys such as bash_env, path, ld_preload, node_options, github_env, runner_temp, " +
  "actions_id_token_request_url, home, git_ssh_command (and, in the full form, 32 more of the loader, shell, runner, Node, Python, Git, proxy and JVM families) must be refused in one line with nothing exported; " +
  "names the workflow writes (`| GITHUB_TOKEN`, `| PATH`) are exported, with a warning for those that take over execution; keys with line breaks, headings, pipes, links, img tags, at-mentions and workflow commands " +
  "must stay inside their job-summary cell and keep an error one annotation; 1 MiB and 11 × 100 KiB values must be refused for the environment before anything is written; " +
  "a missing GITHUB_OUTPUT or an unwritable GITHUB_ENV must leave every other destination untouched.";

const fullGenerated = 150;
const quickSize = 40;

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Problems in a few words: the same problem in several runs once, with the runs named. */
function summarize(problems: readonly string[]): string {
  const runs = new Map<string, string[]>();
  for (const problem of problems) {
    const match = /^((?:dotenv|json|name refusal) run): (.*)$/s.exec(problem);
    const [text, run] = match ? [match[2]!, match[1]!] : [problem, ""];
    runs.set(text, [...(runs.get(text) ?? []), ...(run ? [run] : [])]);
  }
  const unique = [...runs].map(([text, where]) => (where.length > 0 ? `${text} (${[...new Set(where)].join(", ")})` : text));
  return unique.length <= 4 ? unique.join("; ") : `${unique.slice(0, 4).join("; ")}; and ${unique.length - 4} more`;
}

/** A flow that threw (it could not even run) is reported broken with its reason, never hidden. */
async function guarded(tried: string, flow: () => Promise<FlowResult>): Promise<FlowResult> {
  try {
    return await flow();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return { flow: tried, tried, problems: [`the flow could not run: ${reason}`], summary: "", canaries: [], sources: [] };
  }
}

/** Replaces any corpus value or canary that slipped into a message, so the report never shows one. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.trim().length >= 6).reduce((out, secret) => out.split(secret).join("***"), text);
}

export const leaks: Suite = async ({ quick, log }): Promise<SuiteReport> => {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "kb-leaks-"));
  const markerPath = join(work, "ran-by-dotenv");
  const auditPath = join(work, "audit.log");
  const corpus = buildCorpus({ markerPath, generated: fullGenerated });
  const values = quick ? quickSubset(corpus, quickSize) : corpus;
  const handPicked = values.filter((value) => value.handPicked);
  log(`corpus: ${values.length} values (${handPicked.length} hand-picked in ${new Set(handPicked.map((value) => value.kind)).size} kinds, ${values.length - handPicked.length} generated, seed 0x${seed.toString(16)}), ${kib(values.reduce((sum, value) => sum + Buffer.byteLength(value.value), 0))}`);

  let backend: RunningDevBackend | undefined;
  const jobs: LocalJob[] = [];
  try {
    backend = await launchDevBackend(["--audit-log", auditPath, "--verbose"]);
    const context: Context = {
      backend,
      admin: { addr: backend.info.vault.addr, token: backend.info.vault.rootToken },
      work,
      auditLog: auditPath,
      log,
      stats: { masks: 0, bytesScanned: 0, lookups: 0, steps: 0 },
      jobs,
    };
    await enableBasics(context.admin);
    const layout = layOut(values, quick ? 4 : 8);
    const pathOf = new Map<number, string>();
    for (const [path, stored] of layout) {
      await writeSecret(context.admin, path, Object.fromEntries(stored.map((value) => [value.key, value.value])));
      for (const value of stored) pathOf.set(value.id, path);
    }
    await createRole(context.admin, { ...corpusRole, paths: [...layout.keys()] });
    const seeds = await seedCanaries(context);
    const planFixture = writePlanFixture(work);
    log(`stored in ${layout.size} KV v2 paths; role ${corpusRole.role} may read exactly those`);

    const parts = new Map<number, ValueParts>(values.map((value) => [value.id, partsOf(value.value)]));
    const partsFor = (value: CorpusValue) => parts.get(value.id)!;
    const odd = values.filter((value) => !value.shellName);
    const portable = values.filter((value) => value.shellName);
    const runSpecs = [
      { label: "dotenv run", values: portable, file: "ci.env" as const, expect: "export" as const },
      { label: "json run", values: portable, file: "secrets.json" as const, expect: "export" as const },
      ...(odd.length > 0
        ? [{ label: "name refusal run", values: [...odd, ...portable.slice(0, 2)], file: "secrets.json" as const, expect: "refuse" as const }]
        : []),
    ];
    const runStarted = performance.now();
    const runs = await Promise.all(runSpecs.map((spec) => fetchRun(context, { ...spec, pathOf, markerPath }, partsFor)));
    log(`fetch runs (${runSpecs.map((spec) => spec.label).join(", ")}): ${((performance.now() - runStarted) / 1000).toFixed(1)} s`);

    const flowStarted = performance.now();
    const formats = quick ? (["markdown"] as const) : (["markdown", "text", "json"] as const);
    const [login, acl, post, audit, ...plans] = await Promise.all([
      guarded("refused login", () => refusedLogin(context, seeds)),
      guarded("read refused by the ACL", () => aclRefusedRead(context, seeds)),
      guarded("post step", () => postStep(context, seeds)),
      guarded("audit log", () => auditFlow(context, seeds)),
      ...formats.map((format) => guarded(`keybridge plan --format ${format}`, () => planFlow(context, planFixture, format))),
    ]);
    log(`canary flows: ${((performance.now() - flowStarted) / 1000).toFixed(1)} s`);
    const hostileStarted = performance.now();
    const hostile = await hostileNameAttempts(context, quick);
    log(`hostile names, markup, sizes and half exports: ${hostile.length} attempts, ${((performance.now() - hostileStarted) / 1000).toFixed(1)} s`);

    // The backend's logs, read once everything has run.
    const backendLog = backend.stderr();
    const auditText = readFileSync(auditPath, "utf8");
    const backendSources: Source[] = [
      { where: "dev backend stderr (--verbose)", text: backendLog },
      { where: "dev backend audit log", text: jsonLinesText(auditText) },
    ];
    countScanned(context, backendSources);

    const allSecrets = [...values.map((value) => value.value), ...[...Object.values(seeds).flat(), ...planFixture.canaries].map((canary) => canary.value)];
    const attempts: Attempt[] = [];
    let oneCharacterLines = 0;
    let valuesInVerboseLog = 0;
    const unmaskable: CorpusValue[] = [];
    for (const value of values) {
      const valueParts = partsFor(value);
      oneCharacterLines += valueParts.oneCharacterLines;
      if (valueParts.unmaskable) unmaskable.push(value);
      const inRuns = runs.filter((run: FetchRunResult) => run.problems.has(value.id));
      const inBackendLogs = scanFor(context, valueParts, backendSources);
      if (inBackendLogs.some((leak) => leak.endsWith(backendSources[0]!.where))) valuesInVerboseLog += 1;
      const problems = [...inRuns.flatMap((run) => run.problems.get(value.id)!), ...inBackendLogs];
      const modes = [...new Set(inRuns.filter((run) => !run.modes.includes("name refusal")).flatMap((run) => run.modes))];
      const refused = inRuns.some((run) => run.modes.includes("name refusal")) && !value.shellName;
      const limits = [
        ...(valueParts.unmaskable ? ["fewer than 2 visible characters: cannot be masked (known limit)"] : []),
        ...(valueParts.oneCharacterLines > 0 ? [`${valueParts.oneCharacterLines} one-character line${valueParts.oneCharacterLines === 1 ? "" : "s"} not masked (known limit)`] : []),
      ];
      const held = problems.length === 0;
      const masked = valueParts.required.length > 0 ? `masked before output (${valueParts.required.length} parts)` : "nothing maskable";
      const outcome = held
        ? (refused
          ? `name ${value.name} refused before anything was read: one error line naming it, nothing exported anywhere; in no output`
          : [`${masked}; in no output`, `${modes.join(", ")} exact`, ...(isJsonObject(value.value) ? ["each JSON string leaf masked when printed alone"] : []), ...limits].join("; "))
        : redact(summarize(problems), allSecrets);
      attempts.push({
        tried: `${value.name}: ${value.about}`,
        outcome,
        held,
        details: { kind: value.kind, bytes: String(Buffer.byteLength(value.value, "utf8")), lines: String(valueParts.lines) },
      });
    }

    // Canary flows: each flow's own texts plus the backend's logs, for every canary it seeded.
    const flowAttempt = (flow: FlowResult): Attempt => {
      const leaksFound = flow.canaries.flatMap((canary: Canary) =>
        scanFor(context, partsOf(canary.value), [...flow.sources, ...backendSources]).map((leak) => `${canary.flow} ${canary.label}: ${leak}`));
      countScanned(context, flow.sources);
      const problems = [...flow.problems, ...leaksFound];
      return {
        tried: flow.tried,
        outcome: problems.length === 0 ? `${flow.summary}; ${flow.canaries.length} canaries in no output` : redact(summarize(problems), allSecrets),
        held: problems.length === 0,
        details: { kind: "canary flow" },
      };
    };

    // The --verbose log: one line per request, and no canary of any flow nor any corpus value.
    const everyCanary = [...Object.values(seeds).flat(), ...planFixture.canaries];
    const verboseLines = backendLog.split("\n").filter((line) => /^(GET|POST|PUT|LIST|DELETE) \/\S* \d{3} \d+ms$/.test(line)).length;
    const verboseLeaks = everyCanary.flatMap((canary) => scanFor(context, partsOf(canary.value), [backendSources[0]!]).map((leak) => `${canary.flow} ${canary.label}: ${leak}`));
    const verboseProblems = [
      ...(verboseLines === 0 ? ["the backend printed no request lines: --verbose is not working"] : []),
      ...verboseLeaks,
      ...(valuesInVerboseLog > 0 ? [`${valuesInVerboseLog} corpus value(s) in the --verbose log (see their rows)`] : []),
    ];

    attempts.push(
      flowAttempt(login),
      flowAttempt(acl),
      flowAttempt(post),
      flowAttempt(audit),
      ...plans.map((plan) => flowAttempt(plan)),
      {
        tried: `dev backend --verbose log after every flow (${everyCanary.length} canaries, ${values.length} values)`,
        outcome: verboseProblems.length === 0 ? `${verboseLines} request lines, no canary and no value` : redact(summarize(verboseProblems), allSecrets),
        held: verboseProblems.length === 0,
        details: { kind: "canary flow" },
      },
      ...hostile.map((item) => ({ ...item, outcome: redact(item.outcome, allSecrets) })),
    );

    const elapsed = (performance.now() - started) / 1000;
    const longValues = values.filter((value) => value.long).length;
    return {
      name: "Leaks",
      about,
      attempts,
      figures: {
        values: `${values.length} (${handPicked.length} hand-picked in ${new Set(handPicked.map((value) => value.kind)).size} kinds, ${values.length - handPicked.length} generated from seed 0x${seed.toString(16)}; ${longValues} of ${longBytes / 1024} KiB)`,
        "value bytes": kib(values.reduce((sum, value) => sum + Buffer.byteLength(value.value, "utf8"), 0)),
        modes: `env, step outputs, dotenv file, JSON file${odd.length > 0 ? `; refusal for ${odd.length} names that are not portable variable names` : ""}`,
        "Action steps run": String(context.stats.steps),
        "masks registered": String(context.stats.masks),
        "bytes scanned": `${kib(context.stats.bytesScanned)} of output (${context.stats.lookups.toLocaleString("en-US")} part × text look-ups)`,
        "canary flows": `${attempts.length - values.length - hostile.length} (${everyCanary.length} canaries)`,
        "hostile names, markup, sizes, half exports": String(hostile.length),
        elapsed: `${elapsed.toFixed(1)} s`,
      },
      notes: [
        `One-character lines are not masked by design: a one-character mask would blank that character in every later log line (action/masking.ts). The corpus holds ${oneCharacterLines} such line${oneCharacterLines === 1 ? "" : "s"}; for those values only the whole value and its longer lines are checked.`,
        `Values with fewer than two visible characters (${unmaskable.map((value) => JSON.stringify(value.value)).join(", ") || "none"}) cannot be masked at all for the same reason; they are checked only for an exact export.`,
        "A value containing the runner's heredoc delimiter would be refused (action/runner-protocol/file-commands.ts), but the delimiter is ghadelimiter_ plus a fresh random UUID, so no stored value can contain it; the corpus holds the prefix and delimiter-shaped lines, which must export exactly.",
        `Names that are not portable variable names (${odd.map((value) => value.name).join(", ") || "none in this run"}) are refused everywhere (env, outputs, dotenv and JSON files): that run must fail with one error line naming the name before anything is read, and export nothing.`,
        "Encodings are masked for the whole value only: an encoded line or an encoded part of a value is not masked.",
        "Values with fewer than two visible characters still get their encoded forms registered when mask-encodings is set: a single space registers \"IA\" and \"%20\", \"%\" registers \"JQ\" and \"%25\", a newline registers \"Cg\" and the two characters \\n. These short masks blank those characters in every later log line, the harm the one-character rule avoids; they leak nothing, so this suite only notes them.",
        "Masking is checked as registration (::add-mask:: before the first output after the reads), as absence from what the Action and the backend print, and by a simulated later step that prints each value: its output cut into lines where the runner cuts them (LF, CRLF, lone CR) and masked with the registered masks (testkit/runner-emulator/masked-log.ts). The real runner is not run.",
      ],
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return {
      name: "Leaks",
      about,
      attempts: [{ tried: "run the leaks suite: dev backend, corpus, roles, Action runs", outcome: `could not run: ${redact(reason, values.map((value) => value.value))}`, held: false }],
      figures: { values: String(values.length) },
    };
  } finally {
    await Promise.all(jobs.map((job) => job.dispose()));
    if (backend) await backend.stop();
    rmSync(work, { recursive: true, force: true });
  }
};
