// 1. The Action end to end: the committed bundles dist/main.js then dist/post.js, each a process
// under the runner's file protocol, against `keybridge dev` as a process, for a number of secrets
// spread evenly over a number of KV v2 paths. Floor: bench/floor/http-floor.cjs, the same HTTP
// calls on Node's built-in node:http, run the same way (a main step, then a post step). The dev backend's
// --verbose log is counted after every run: one OIDC token request, one login, one read per
// distinct path, one revoke, nothing else.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../testkit/runner-emulator/job.ts";
import { enableOnce, vaultRequest, type VaultAdmin } from "../testkit/admin/vault.ts";
import type { BenchContext } from "./lib/context.ts";
import { RequestLog, requestLine } from "./lib/request-log.ts";
import { alternate, median, pairedRatio } from "./lib/stats.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import type { Row } from "./lib/report.ts";

const profileStep = fileURLToPath(new URL("./lib/cpu-prof-step.mjs", import.meta.url));
const floorScript = fileURLToPath(new URL("./floor/http-floor.cjs", import.meta.url));

export const issuer = "https://token.actions.githubusercontent.com";
export const audience = "https://github.com/acme";
export const role = "bench";
export const job = { repository: "acme/bench", ref: "refs/heads/main", runner_environment: "self-hosted" };

export interface Scenario {
  readonly secrets: number;
  readonly paths: number;
}

export const fullScenarios: readonly Scenario[] = [
  { secrets: 1, paths: 1 },
  { secrets: 10, paths: 1 },
  { secrets: 10, paths: 5 },
  { secrets: 100, paths: 1 },
  { secrets: 100, paths: 5 },
  { secrets: 100, paths: 20 },
];
export const quickScenarios: readonly Scenario[] = [
  { secrets: 1, paths: 1 },
  { secrets: 100, paths: 20 },
];
/** The scenario the issue sets the target on: wall time at most 1.3 × the floor. */
export const targetScenario: Scenario = { secrets: 100, paths: 20 };
export const targetRatio = 1.3;

export const scenarioKey = (scenario: Scenario) => `s${scenario.secrets}-p${scenario.paths}`;

/** The spec lines of a scenario: secrets spread evenly over the paths, each key exported by name. */
export function specLines(scenario: Scenario): { lines: string[]; paths: string[]; byPath: Map<string, Record<string, string>> } {
  const paths = Array.from({ length: scenario.paths }, (_, p) => `secret/data/bench/${scenarioKey(scenario)}/path-${String(p).padStart(2, "0")}`);
  const byPath = new Map(paths.map((path) => [path, {} as Record<string, string>]));
  const lines: string[] = [];
  for (let s = 0; s < scenario.secrets; s++) {
    const path = paths[s % scenario.paths]!;
    const name = `k${String(s).padStart(3, "0")}`;
    byPath.get(path)![name] = randomBytes(24).toString("base64url");
    lines.push(`${path} ${name} | ${scenarioKey(scenario).replace("-", "_").toUpperCase()}_${name.toUpperCase()}`);
  }
  return { lines, paths, byPath };
}

export async function configureVault(admin: VaultAdmin, scenarios: readonly Scenario[]): Promise<Map<string, ReturnType<typeof specLines>>> {
  await enableOnce(admin, "auth", "jwt", { type: "jwt" });
  await vaultRequest(admin, "POST", "auth/jwt/config", { oidc_discovery_url: issuer, bound_issuer: issuer });
  await enableOnce(admin, "mounts", "secret", { type: "kv", options: { version: "2" } });
  await vaultRequest(admin, "PUT", "sys/policies/acl/bench-read", { policy: 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n' });
  await vaultRequest(admin, "POST", `auth/jwt/role/${role}`, {
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [audience],
    bound_claims: { repository: job.repository },
    token_ttl: "10m",
    token_max_ttl: "15m",
    token_policies: ["bench-read"],
  });
  const specs = new Map<string, ReturnType<typeof specLines>>();
  for (const scenario of scenarios) {
    const spec = specLines(scenario);
    for (const [path, data] of spec.byPath) {
      await vaultRequest(admin, "POST", path, { data });
    }
    specs.set(scenarioKey(scenario), spec);
  }
  return specs;
}


/** "" when the lines are exactly one token request, one login, one read per path, one revoke. */
function countProblems(lines: readonly string[], paths: readonly string[]): string {
  const counts = { token: 0, login: 0, revoke: 0, reads: new Map<string, number>(), other: [] as string[] };
  for (const line of lines) {
    const match = requestLine.exec(line);
    if (!match) {
      counts.other.push(line);
      continue;
    }
    const [, method, path, status] = match as unknown as [string, string, string, string];
    if (!status.startsWith("2")) counts.other.push(line);
    else if (method === "GET" && path === "/_oidc/token") counts.token += 1;
    else if (method === "POST" && path === "/v1/auth/jwt/login") counts.login += 1;
    else if (method === "POST" && path === "/v1/auth/token/revoke-self") counts.revoke += 1;
    else if (method === "GET" && path.startsWith("/v1/secret/data/")) {
      const logical = path.slice("/v1/".length);
      counts.reads.set(logical, (counts.reads.get(logical) ?? 0) + 1);
    } else counts.other.push(line);
  }
  const problems: string[] = [];
  if (counts.token !== 1) problems.push(`${counts.token} OIDC token requests`);
  if (counts.login !== 1) problems.push(`${counts.login} logins`);
  if (counts.revoke !== 1) problems.push(`${counts.revoke} revokes`);
  const wrongReads = paths.filter((path) => counts.reads.get(path) !== 1);
  if (wrongReads.length > 0 || counts.reads.size !== paths.length) {
    problems.push(`reads of ${counts.reads.size} distinct paths (${[...counts.reads.values()].reduce((a, b) => a + b, 0)} reads) for ${paths.length} paths`);
  }
  if (counts.other.length > 0) problems.push(`unexpected: ${counts.other.slice(0, 3).join(" / ")}`);
  return problems.join("; ");
}

export interface ActionSectionResult {
  readonly rows: Row[];
  readonly requestChecks: number;
  /** Profiles of the target scenario when its target was missed. */
  readonly profiles: ProfileSummary[];
}

export async function benchAction(context: BenchContext, chunkOwners: ReadonlyMap<string, string>): Promise<ActionSectionResult> {
  const scenarios = context.quick ? quickScenarios : fullScenarios;
  const mainScript = join(context.distDir, "main.js");
  const postScript = join(context.distDir, "post.js");
  const backend = await launchDevBackend(["--verbose"]);
  const rows: Row[] = [];
  const profiles: ProfileSummary[] = [];
  let requestChecks = 0;
  try {
    const admin = { addr: backend.info.vault.addr, token: backend.info.vault.rootToken };
    const specs = await configureVault(admin, scenarios);

    const runOnce = async (script: "action" | "floor", scenario: Scenario, profileDir?: string): Promise<number> => {
      // Profiled runs start the step through cpu-prof-step.mjs, which adds node's --cpu-prof.
      const profiled = (step: string, target: string): Record<string, string> =>
        profileDir ? { KB_PROFILE_SCRIPT: target, KB_PROFILE_DIR: profileDir, KB_PROFILE_NAME: `${step}.cpuprofile` } : {};
      const spec = specs.get(scenarioKey(scenario))!;
      const log = new RequestLog(backend);
      const pair = await backend.mintJob(job);
      await log.take(1); // the mint itself
      const local = await LocalJob.create();
      try {
        const inputs = { url: backend.info.vault.addr, role, audience, secrets: spec.lines.join("\n") };
        const [first, second] = script === "action" ? [mainScript, postScript] : [floorScript, floorScript];
        const step = (target: string) => (profileDir ? profileStep : target);
        const main = await local.runStep(step(first), { inputs, env: { ...oidcEnv(pair), ...profiled("main", first) }, timeoutMs: 30_000 });
        const post = await local.runStep(step(second), { inputs, state: main.state, env: profiled("post", second), timeoutMs: 30_000 });
        const what = `${script === "action" ? "the Action" : "the floor"} at ${scenario.secrets} secrets / ${scenario.paths} paths`;
        if (main.exitCode !== 0 || post.exitCode !== 0) {
          context.functionalErrors.push(`${what}: main exited ${main.exitCode}, post ${post.exitCode}: ${(main.stdout + main.stderr + post.stdout + post.stderr).split("\n").filter((line) => /error|warning/i.test(line)).slice(0, 2).join(" / ")}`);
        } else if (script === "action" && main.exportedEnv.size !== scenario.secrets) {
          context.functionalErrors.push(`${what}: exported ${main.exportedEnv.size} variables, not ${scenario.secrets}`);
        }
        const problems = countProblems(await log.take(3 + spec.paths.length), spec.paths);
        requestChecks += 1;
        if (problems) context.functionalErrors.push(`${what}: requests on the dev backend: ${problems}`);
        return main.elapsedMs + post.elapsedMs;
      } finally {
        await local.dispose();
      }
    };

    for (const scenario of scenarios) {
      context.log(`action: ${scenario.secrets} secrets / ${scenario.paths} paths`);
      const runs = context.quick ? 3 : 9;
      const samples = await alternate({ warmups: context.quick ? 1 : 2, runs }, () => runOnce("floor", scenario), () => runOnce("action", scenario));
      const measured = median(samples.measured);
      const floor = median(samples.floor);
      const ratio = pairedRatio(samples.measured, samples.floor);
      const isTarget = scenario.secrets === targetScenario.secrets && scenario.paths === targetScenario.paths;
      const met = ratio <= targetRatio;
      rows.push({
        id: `action.${scenarioKey(scenario)}`,
        section: "Action end to end",
        scenario: `action main+post, ${scenario.secrets} secret${scenario.secrets === 1 ? "" : "s"} / ${scenario.paths} path${scenario.paths === 1 ? "" : "s"}`,
        measured: { value: measured, unit: "ms" },
        floor: { value: floor, unit: "ms", what: "bench/floor/http-floor.cjs (the same HTTP calls on node:http), run as main then post" },
        ratio,
        ...(isTarget
          ? { target: { text: `≤ ${targetRatio}× floor`, met, ...(met ? {} : { missedBy: `${ratio.toFixed(2)}× against ${targetRatio}× (the median of paired ratios; the medians alone are ${measured.toFixed(0)} and ${floor.toFixed(0)} ms)` }) } }
          : {}),
        details: { samplesMs: samples.measured, floorSamplesMs: samples.floor, requestsPerRun: 3 + scenario.paths },
      });
      if (isTarget && ((!met && !context.quick) || context.profileAll)) {
        const dir = join(context.workDir, "profile-action");
        mkdirSync(dir, { recursive: true });
        await runOnce("action", scenario, dir);
        profiles.push(summarizeProfile(join(dir, "main.cpuprofile"), `dist/main.js (${scenarioKey(scenario)})`, chunkOwners));
        profiles.push(summarizeProfile(join(dir, "post.cpuprofile"), "dist/post.js", chunkOwners));
      }
    }
  } finally {
    const code = await backend.stop();
    if (code !== 0) context.functionalErrors.push(`keybridge dev (Action benchmark) exited with ${code} on SIGTERM`);
  }
  return { rows, requestChecks, profiles };
}
