// One fault scenario, end to end: the committed bundle's main step under the runner's file
// protocol, its `url` (or its OIDC request URL) pointed at a fault-injecting proxy in front of the
// dev backend; then the post step; then the dev backend asked directly whether the token still
// works. Every promise that did not hold becomes one reason in the attempt's outcome.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../../testkit/runner-emulator/job.ts";
import { demoRole, type DemoSecrets } from "../../../testkit/demo-setup.ts";
import type { TestCa } from "../../../testkit/test-ca.ts";
import type { Attempt } from "../../report.ts";
import { FaultProxy, type FaultRule, type InjectedFault } from "./proxy.ts";
import { describeScenario, faultNames, type Scenario } from "./scenarios.ts";
import { vaultCall } from "../../../testkit/admin/vault.ts";
import { withoutCode } from "../error-line.ts";

const mainScript = fileURLToPath(new URL("../../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../../dist/post.js", import.meta.url));

/** The Action's `timeout` input in these runs, and what each check allows on top of it. */
export const budget = {
  timeoutSeconds: 6,
  retries: 4,
  /** Node's start, the bundle's load and the runner's file protocol, on a loaded 2-CPU machine. */
  marginMs: 3_000,
  /** The post step's own budget (action/revoke.ts), which its checks allow the same margin on. */
  postBudgetMs: 20_000,
  /** A step still running after this long is killed and reported as hung. */
  killAfterMs: 40_000,
} as const;

const mainLimitMs = budget.timeoutSeconds * 1000 + budget.marginMs;
const postLimitMs = budget.postBudgetMs + budget.marginMs;

const allowedJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
const faultedReadPath = "secret/data/ml-training/prod/database";
const specLines = [`${faultedReadPath} password | DB_PASSWORD`, "secret/data/ml-training/prod/api *"];

const paths: Record<Scenario["where"], { method: string; path: string }> = {
  oidc: { method: "GET", path: "/_oidc/token" },
  login: { method: "POST", path: "/v1/auth/jwt/login" },
  read: { method: "GET", path: `/v1/${faultedReadPath}` },
  revoke: { method: "POST", path: "/v1/auth/token/revoke-self" },
};

const statusFaults = new Set<string>(["429", "500", "502", "503", "412"]);
const injected = new Set<string>(["429", "500", "502", "503", "412", "reset", "stall", "trickle", "truncated"]);
const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

export interface Shared {
  readonly backend: RunningDevBackend;
  readonly secrets: DemoSecrets;
  readonly ca: TestCa;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly attempt: Attempt;
  readonly mainElapsedMs: number | undefined;
  readonly postElapsedMs: number | undefined;
}

/** What the step under test must print when the fault is permanent: the place and the cause. */
function expectedLine(scenario: Scenario): { place: RegExp; cause: RegExp } {
  const place = scenario.where === "oidc" ? /OIDC/ : scenario.where === "login" ? /log(ging)? ?in/i : new RegExp(faultedReadPath.replace(/\//g, "\\/"));
  const cause: Record<string, RegExp> = {
    reset: /ECONNRESET|UND_ERR_SOCKET|reset|closed/i,
    stall: new RegExp(`within the ${budget.timeoutSeconds} s budget`),
    trickle: new RegExp(`within the ${budget.timeoutSeconds} s budget`),
    truncated: /not valid JSON/,
    dns: /cannot be resolved.*\((ENOTFOUND|EAI_AGAIN)\)/,
    "unknown-ca": /not trusted/,
  };
  return { place, cause: cause[scenario.fault] ?? new RegExp(`\\b${scenario.fault}\\b`) };
}

function errorLines(step: StepResult): string[] {
  return step.stdout.split("\n").filter((line) => line.startsWith("::error::")).map((line) => withoutCode(line.slice("::error::".length)));
}

function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: "utf8" }) : [];
}

async function tokenStatus(addr: string, token: string): Promise<number> {
  return (await vaultCall({ addr, token }, "GET", "auth/token/lookup-self")).status;
}

async function revokeDirectly(addr: string, token: string): Promise<void> {
  await vaultCall({ addr, token }, "POST", "auth/token/revoke-self");
}

function ms(value: number): string {
  return String(Math.round(value));
}

function short(line: string, max = 220): string {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export async function runScenario(scenario: Scenario, shared: Shared): Promise<ScenarioResult> {
  const { backend, secrets, ca } = shared;
  const tls = { key: ca.serverKey, cert: ca.serverCert };
  const onTls = scenario.fault === "unknown-ca";
  const vaultProxy = await FaultProxy.start({ upstream: backend.info.vault.addr, ...(onTls && scenario.where === "login" ? { tls } : {}) });
  const oidcProxy = await FaultProxy.start({ upstream: backend.info.vault.addr, ...(onTls && scenario.where === "oidc" ? { tls } : {}) });
  const job = await LocalJob.create();
  const target = scenario.where === "oidc" ? oidcProxy : vaultProxy;
  const { method, path } = paths[scenario.where];
  if (injected.has(scenario.fault)) {
    const rule: FaultRule = { method, path, fault: scenario.fault as InjectedFault, times: scenario.times };
    target.script([rule]);
  }

  const problems: string[] = [];
  const observed: string[] = [];
  let token: string | undefined;
  let main: StepResult | undefined;
  let post: StepResult | undefined;
  let expectation = "";
  let postColumn = "";
  try {
    const pair = await backend.mintJob(allowedJob);
    const requestUrl = new URL(pair.requestUrl);
    const oidcUrl = scenario.fault === "dns" && scenario.where === "oidc"
      ? `http://token.keybridge.invalid${requestUrl.pathname}${requestUrl.search}`
      : `${oidcProxy.origin}${requestUrl.pathname}${requestUrl.search}`;
    const url = scenario.fault === "dns" && scenario.where === "login" ? "http://vault.keybridge.invalid:8200" : vaultProxy.origin;
    const inputs: Record<string, string> = {
      url,
      role: demoRole.name,
      secrets: specLines.join("\n"),
      timeout: String(budget.timeoutSeconds),
      retries: String(budget.retries),
      "export-outputs": "true",
      "export-file": "secrets.json",
      ...(scenario.variant === "control" ? { "ca-certificate": ca.caPem } : {}),
    };
    const mainFails = scenario.variant === "permanent" && scenario.where !== "revoke";
    expectation = scenario.where === "revoke"
      ? (scenario.variant === "transient" ? "post retries and revokes; exit 0" : `post warns; exit 0 within ${postLimitMs / 1000} s`)
      : mainFails
        ? `exit 1, one line within ${mainLimitMs / 1000} s, nothing exported; post ${scenario.where === "read" ? "revokes" : "has nothing to revoke"}`
        : "all 3 secrets exported; post revokes";

    main = await job.runStep(mainScript, { inputs, env: oidcEnv({ requestUrl: oidcUrl, requestToken: pair.requestToken }), timeoutMs: budget.killAfterMs });
    token = main.state.get("token") || undefined;
    const errors = errorLines(main);
    if (main.exitCode === null) problems.push(`main was killed after ${budget.killAfterMs / 1000} s (${main.signal}): it hung past the budget`);
    if (stackTrace.test(main.stdout) || stackTrace.test(main.stderr)) problems.push("main printed a stack trace");
    if (main.elapsedMs > mainLimitMs) problems.push(`main took ${ms(main.elapsedMs)} ms, over the ${budget.timeoutSeconds} s timeout + ${budget.marginMs / 1000} s margin`);
    const seen = target.seen(method, path);
    if (scenario.fault === "429" && scenario.where !== "revoke") {
      // Retry-After: 1 must hold every retry that follows a 429 back by a second.
      const gaps = seen.arrivals.slice(1).map((at, index) => at - seen.arrivals[index]!).slice(0, seen.faulted);
      const early = gaps.filter((gap) => gap < 950);
      if (early.length > 0) problems.push(`Retry-After: 1 not honoured: retried after ${early.map(ms).join(", ")} ms`);
    }

    if (mainFails) {
      if (main.exitCode !== 1) problems.push(`main exited ${main.exitCode}, expected 1`);
      const causes = errors.filter((line) => !line.startsWith("Nothing was exported:"));
      const summaries = errors.length - causes.length;
      if (causes.length !== 1) problems.push(`${causes.length} error lines about the fault, expected 1: ${errors.join(" / ") || "(none)"}`);
      if (summaries > 0 && scenario.where !== "read") problems.push("an all-or-nothing summary line for a failure that is not a read");
      const line = causes[0] ?? "";
      const { place, cause } = expectedLine(scenario);
      const undiciTimeout = /\((UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT)\)/.exec(line)?.[1];
      if (causes.length === 1 && undiciTimeout && (scenario.fault === "stall" || scenario.fault === "trickle")) {
        problems.push(`the ${scenario.fault === "stall" ? "stall" : "trickle"} is told as "cannot reach … (${undiciTimeout}); check the url input, the network and HTTPS_PROXY/NO_PROXY" instead of "no answer … within the ${budget.timeoutSeconds} s budget": undici's own timeout won the race against the attempt's abort timer (both are set to the same ms in client/http/http-client.ts), and failed() maps only KB_ATTEMPT_TIMEOUT to the budget message, so the wording depends on which timer fires first`);
      } else if (causes.length === 1 && !(place.test(line) && cause.test(line))) {
        problems.push(`the error line does not name the place and the cause (${place} and ${cause}): ${line}`);
      }
      if (/unexpected error/.test(line)) problems.push("the error is an unexpected one");
      if (statusFaults.has(scenario.fault) && scenario.where === "login" && /bound_claims|compare the claims/.test(line)) {
        problems.push(`unclear line: a server-side HTTP ${scenario.fault} after every retry is told as a login refusal that sends the user to the role's bound_claims ("compare the claims shown with the role's bound_claims, bound_subject and bound_audiences")`);
      }
      if (main.exportedEnv.size > 0) problems.push(`partial export: GITHUB_ENV holds ${[...main.exportedEnv.keys()].join(", ")}`);
      if (main.outputs.size > 0) problems.push(`partial export: outputs hold ${[...main.outputs.keys()].join(", ")}`);
      const files = filesUnder(job.runnerTemp);
      if (files.length > 0) problems.push(`partial export: RUNNER_TEMP holds ${files.join(", ")}`);
      const printed = `${main.stdout}\n${main.stderr}`;
      if ([secrets.database.password, secrets.api.token].some((value) => printed.includes(value))) problems.push("a secret value was printed");
      const tries = injected.has(scenario.fault) ? ` after ${seen.attempts} attempt${seen.attempts === 1 ? "" : "s"}` : "";
      observed.push(`exit ${main.exitCode}${tries}: ${short(line)}${summaries > 0 ? " (+ the all-or-nothing summary line)" : ""}`);
    } else {
      if (main.exitCode !== 0) problems.push(`main exited ${main.exitCode}, expected 0: ${errors.join(" / ") || short(main.stderr.trim()) || "(no error line)"}`);
      const expected: Record<string, string> = { DB_PASSWORD: secrets.database.password, TOKEN: secrets.api.token, SIGNING_KEY: secrets.api.signing_key };
      // Output names keep the key's case (vault-action's rule): `*` gives token and signing_key.
      const outputNames: Record<string, string> = { DB_PASSWORD: "DB_PASSWORD", TOKEN: "token", SIGNING_KEY: "signing_key" };
      for (const [name, value] of Object.entries(expected)) {
        if (main.exportedEnv.get(name) !== value) problems.push(`${name} not exported to GITHUB_ENV as stored`);
        if (main.outputs.get(outputNames[name]!) !== value) problems.push(`output ${outputNames[name]} not set as stored`);
      }
      const file = main.outputs.get("file");
      let fileHolds: unknown;
      try {
        fileHolds = file ? JSON.parse(readFileSync(file, "utf8")) : undefined;
      } catch {
        fileHolds = undefined;
      }
      if (JSON.stringify(fileHolds) !== JSON.stringify(expected)) problems.push("the export file does not hold exactly the 3 secrets");
      if (scenario.where !== "revoke" && injected.has(scenario.fault)) {
        if (seen.faulted !== scenario.times) problems.push(`the proxy faulted ${seen.faulted} attempts, expected ${scenario.times}`);
        if (seen.attempts <= seen.faulted) problems.push("the Action never came back after the fault");
      }
      if (main.exitCode === 0) {
        observed.push(scenario.where === "revoke" || !injected.has(scenario.fault)
          ? "main exported 3"
          : `exported 3 after ${seen.faulted} faulted attempt${seen.faulted === 1 ? "" : "s"} of ${seen.attempts}`);
      }
    }

    // The post step: it revokes what main logged in with, whatever happened, and never fails the job.
    if (scenario.fault === "unreachable") await vaultProxy.close();
    post = await job.runStep(postScript, { inputs, state: main.state, timeoutMs: budget.killAfterMs });
    const postErrors = errorLines(post);
    const warnings = post.stdout.split("\n").filter((line) => line.startsWith("::warning::"));
    if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}${post.exitCode === null ? ` (killed after ${budget.killAfterMs / 1000} s)` : ""}, expected 0`);
    if (postErrors.length > 0) problems.push(`post printed error lines: ${postErrors.join(" / ")}`);
    if (stackTrace.test(post.stdout) || stackTrace.test(post.stderr)) problems.push("post printed a stack trace");
    if (post.elapsedMs > postLimitMs) problems.push(`post took ${ms(post.elapsedMs)} ms, over its ${budget.postBudgetMs / 1000} s budget + ${budget.marginMs / 1000} s margin`);
    const exportFile = main.outputs.get("file");
    if (exportFile && existsSync(exportFile)) problems.push("post left the export file behind");

    let postSays: string;
    if (mainFails && scenario.where !== "read") {
      if (token) problems.push("main saved a token although it never logged in");
      if (!/No token to revoke/.test(post.stdout)) problems.push("post did not say there was nothing to revoke");
      postSays = "nothing to revoke";
    } else if (!token) {
      problems.push("main saved no token for post to revoke");
      postSays = "no token saved";
    } else {
      const status = await tokenStatus(backend.info.vault.addr, token);
      const backendReachable = scenario.where !== "revoke" || scenario.variant === "transient";
      if (backendReachable) {
        if (status !== 403) problems.push(`after post the token still answers lookup-self with ${status}, expected 403`);
        postSays = status === 403 ? "revoked (lookup-self 403)" : `not revoked (lookup-self ${status})`;
        if (scenario.where === "revoke") {
          const revokeSeen = vaultProxy.seen(method, path);
          if (revokeSeen.faulted !== scenario.times) problems.push(`the proxy faulted ${revokeSeen.faulted} revokes, expected ${scenario.times}`);
          postSays += ` after ${revokeSeen.faulted} faulted attempt${revokeSeen.faulted === 1 ? "" : "s"} of ${revokeSeen.attempts}`;
        }
      } else {
        const warned = warnings.find((line) => line.includes("Cleanup incomplete"));
        if (!warned) problems.push("post did not warn that the cleanup is incomplete");
        postSays = `${warned ? `warned: ${short(warned.slice("::warning::".length), 160)}` : "no warning"}; token ${status === 403 ? "revoked all the same (the answer was lost)" : "left to expire"}`;
      }
    }
    observed.push(`post: ${postSays}`);
    postColumn = `exit ${post.exitCode}, ${ms(post.elapsedMs)} ms, ${postSays}`;
  } catch (error) {
    problems.push(`the scenario itself failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  } finally {
    if (token) await revokeDirectly(backend.info.vault.addr, token).catch(() => undefined);
    await Promise.all([vaultProxy.close(), oidcProxy.close()]);
    await job.dispose();
  }

  // The step under test: main, or post for a fault on the revoke.
  const underTest = scenario.where === "revoke" ? post : main;
  const details: Record<string, string> = {
    fault: faultNames[scenario.fault],
    where: scenario.where === "oidc" ? "OIDC token request" : scenario.where,
    variant: scenario.variant,
    expected: expectation,
    "elapsed (ms)": underTest ? ms(underTest.elapsedMs) : "",
    "exit code": underTest ? String(underTest.exitCode) : "",
    post: postColumn,
  };
  return {
    scenario,
    attempt: {
      tried: describeScenario(scenario),
      outcome: problems.length === 0 ? observed.join("; ") : `${problems.join("; ")}${observed.length > 0 ? ` [observed: ${observed.join("; ")}]` : ""}`,
      held: problems.length === 0,
      details,
    },
    mainElapsedMs: main?.elapsedMs,
    postElapsedMs: post?.elapsedMs,
  };
}
