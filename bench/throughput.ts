// 5. Dev backend throughput: KV v2 reads/s and JWT logins/s with 1, 16 and 64 keep-alive clients
// over loopback, from a load generator in its own process (bench/load/generate.mjs: plain node and
// undici), against `keybridge dev` as a process. Floor: bench/floor/json-server.mjs, a node:http
// server answering the same bytes as a KV read, measured by the same generator in the same run,
// in rotation with the reads and the logins. Ratios are medians of the per-round ratios (each
// round measures the floor, the reads and the logins back to back).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend } from "../testkit/launch-dev-backend.ts";
import { devVaultAdmin, enableOnce, vaultRequest } from "../testkit/admin/vault.ts";
import { githubToken } from "../testkit/admin/oidc-jobs.ts";
import type { BenchContext } from "./lib/context.ts";
import { startHelper, timeNode } from "./lib/process.ts";
import { monotonicUs, profilesIn, summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { median } from "./lib/stats.ts";
import type { Row } from "./lib/report.ts";
import { keybridgeCommandLine } from "../testkit/keybridge-process.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const generator = join(repoRoot, "bench", "load", "generate.mjs");
const floorServer = join(repoRoot, "bench", "floor", "json-server.mjs");
const issuer = "https://token.actions.githubusercontent.com";
const audience = "https://github.com/acme";
const job = { repository: "acme/bench", ref: "refs/heads/main", runner_environment: "self-hosted" };
const readPath = "/v1/secret/data/bench/throughput";
/** Issue 17: KV v2 reads at 60% or more of node:http answering the same bytes. */
export const readsTargetRatio = 0.6;
export const loginsTarget = 1_000;

interface LoadSpec {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface LoadResult {
  readonly completed: number;
  readonly failures: number;
  readonly firstFailure?: string;
  readonly statuses: Record<string, number>;
  readonly elapsedMs: number;
  readonly cpuMs: number;
}

/** CPU time (user, system) a process has used so far, ms, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): { user: number; system: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s (USER_HZ on Linux).
    return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
  } catch {
    return undefined;
  }
}

export interface LoadRun {
  readonly rate: number;
  readonly completed: number;
  readonly elapsedMs: number;
  /** CPU the server used per request, µs; undefined without /proc. */
  readonly serverCpuUs: number | undefined;
  /** Of which in the kernel (system time), µs per request. */
  readonly serverSystemUs: number | undefined;
  /** Share of one core the server used during the run. */
  readonly serverBusy: number | undefined;
  /** Share of one core the load generator used. */
  readonly generatorBusy: number;
}

/** Runs the generator once against the server of process `serverPid`; rate, count and CPU use. */
async function load(context: BenchContext, what: string, spec: LoadSpec, connections: number, durationMs: number, serverPid?: number): Promise<LoadRun> {
  const cpuBefore = processCpuMs(serverPid);
  const run = await timeNode([generator, JSON.stringify({ ...spec, connections, durationMs, maxRequests: 2_000_000 })], { cwd: repoRoot, timeoutMs: durationMs + 30_000 });
  const cpuAfter = processCpuMs(serverPid);
  if (run.code !== 0) {
    context.functionalErrors.push(`load generator for ${what} exited ${run.code ?? run.signal}: ${run.stderr.slice(0, 200)}`);
    return { rate: 0, completed: 0, elapsedMs: 0, serverCpuUs: undefined, serverSystemUs: undefined, serverBusy: undefined, generatorBusy: 0 };
  }
  const result = JSON.parse(run.stdout.trim()) as LoadResult;
  const wrong = Object.entries(result.statuses).filter(([status]) => !status.startsWith("2"));
  if (result.failures > 0 || wrong.length > 0 || result.completed === 0) {
    context.functionalErrors.push(`${what} with ${connections} clients: ${result.failures} failed requests (${result.firstFailure ?? "none"}), statuses ${JSON.stringify(result.statuses)}`);
  }
  // The server's CPU is read around the generator's whole process, a little longer than its loop.
  const serverCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system : undefined;
  const serverSystemMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter.system - cpuBefore.system : undefined;
  return {
    rate: (result.completed * 1000) / result.elapsedMs,
    completed: result.completed,
    elapsedMs: result.elapsedMs,
    serverCpuUs: serverCpuMs !== undefined && result.completed > 0 ? (1000 * serverCpuMs) / result.completed : undefined,
    serverSystemUs: serverSystemMs !== undefined && result.completed > 0 ? (1000 * serverSystemMs) / result.completed : undefined,
    serverBusy: serverCpuMs !== undefined ? serverCpuMs / result.elapsedMs : undefined,
    generatorBusy: result.cpuMs / result.elapsedMs,
  };
}

interface BackendInfo {
  readonly vault: { readonly addr: string; readonly rootToken: string };
}

/** JWT auth, a read policy, a role and one secret; a read token, and a way to get job tokens. */
async function setUp(info: BackendInfo): Promise<{ jwt: () => Promise<string>; readToken: string; readBody: string }> {
  const admin = devVaultAdmin(info);
  await enableOnce(admin, "auth", "jwt", { type: "jwt" });
  await vaultRequest(admin, "POST", "auth/jwt/config", { oidc_discovery_url: issuer, bound_issuer: issuer });
  await enableOnce(admin, "mounts", "secret", { type: "kv", options: { version: "2" } });
  await vaultRequest(admin, "PUT", "sys/policies/acl/bench-read", { policy: 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n' });
  await vaultRequest(admin, "POST", "auth/jwt/role/bench", {
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [audience],
    bound_claims: { repository: job.repository },
    token_ttl: "1h",
    token_max_ttl: "2h",
    token_policies: ["bench-read"],
  });
  await vaultRequest(admin, "POST", "secret/data/bench/throughput", { data: { username: "bench_app", password: "not-a-real-password-0123456789" } });
  const jwt = () => githubToken(admin, job, audience);
  const login = await fetch(`${info.vault.addr}/v1/auth/jwt/login`, { method: "POST", body: JSON.stringify({ role: "bench", jwt: await jwt() }) });
  if (login.status !== 200) throw new Error(`the benchmark's login answered ${login.status}`);
  const readToken = ((await login.json()) as { auth: { client_token: string } }).auth.client_token;
  const read = await fetch(`${info.vault.addr}${readPath}`, { headers: { "x-vault-token": readToken } });
  const readBody = await read.text();
  if (read.status !== 200) throw new Error(`the throughput secret could not be read: ${read.status}`);
  return { jwt, readToken, readBody };
}

type Kind = "reads" | "logins";

export interface ThroughputResult {
  readonly rows: Row[];
  readonly profiles: ProfileSummary[];
}

/**
 * Profiles a server process under one load: `node --cpu-prof ARGS` started here, the load run
 * against it, the samples of the load's span summarized, with the requests served.
 */
async function profileUnderLoad(
  context: BenchContext,
  name: string,
  args: readonly string[],
  subject: string,
  prepare: (firstLine: string) => Promise<LoadSpec>,
  connections: number,
  durationMs: number,
): Promise<ProfileSummary | undefined> {
  const dir = join(context.workDir, `profile-${name}`);
  mkdirSync(dir, { recursive: true });
  const server = await startHelper(["--cpu-prof", `--cpu-prof-dir=${dir}`, ...args], { env: { ...process.env } as Record<string, string>, cwd: repoRoot });
  const window = { startUs: 0, endUs: 0 };
  let completed = 0;
  try {
    const spec = await prepare(server.firstLine);
    window.startUs = monotonicUs();
    completed = (await load(context, `profiled ${name}`, spec, connections, durationMs)).completed;
    window.endUs = monotonicUs();
  } finally {
    await server.stop();
  }
  const file = profilesIn(dir).at(-1);
  if (!file) return undefined;
  return { ...summarizeProfile(file, subject, new Map(), window), requests: completed };
}

export async function benchThroughput(context: BenchContext): Promise<ThroughputResult> {
  const levels = context.quick ? [16] : [1, 16, 64];
  const runs = context.quick ? 2 : 5;
  const durationMs = context.quick ? 700 : 1_500;
  const rows: Row[] = [];
  const profiles: ProfileSummary[] = [];
  const missedAt = new Map<Kind, number>();

  const backend = await launchDevBackend();
  let helper: Awaited<ReturnType<typeof startHelper>> | undefined;
  let readBodyText = "";
  try {
    const { jwt, readToken, readBody } = await setUp(backend.info);
    readBodyText = readBody;
    helper = await startHelper([floorServer, readBody], { cwd: repoRoot });
    const floorUrl = (JSON.parse(helper.firstLine) as { url: string }).url;
    const reads: LoadSpec = { url: backend.info.vault.addr, method: "GET", path: readPath, headers: { "x-vault-token": readToken } };
    const floorSpec: LoadSpec = { ...reads, url: floorUrl };
    for (const connections of levels) {
      context.log(`throughput: ${connections} client${connections === 1 ? "" : "s"}`);
      const logins: LoadSpec = { url: backend.info.vault.addr, method: "POST", path: "/v1/auth/jwt/login", body: { role: "bench", jwt: await jwt() } };
      const specs = { floor: floorSpec, reads, logins };
      const names = Object.keys(specs) as (keyof typeof specs)[];
      const what = { floor: "the node:http floor", reads: "KV v2 reads", logins: "JWT logins" };
      const pids = { floor: helper.child.pid, reads: backend.process.pid, logins: backend.process.pid };
      const samples: Record<keyof typeof specs, number[]> = { floor: [], reads: [], logins: [] };
      const loads: Record<keyof typeof specs, LoadRun[]> = { floor: [], reads: [], logins: [] };
      // Warm-up: a short run of each, unrecorded.
      for (const name of names) await load(context, `warm-up of ${what[name]}`, specs[name], connections, Math.min(500, durationMs));
      for (let run = 0; run < runs; run++) {
        for (const name of names.map((_, j) => names[(run + j) % names.length]!)) {
          const result = await load(context, what[name], specs[name], connections, durationMs, pids[name]);
          samples[name].push(result.rate);
          loads[name].push(result);
        }
      }
      const floorRate = median(samples.floor);
      const pairedRatio = (kind: Kind) => median(samples[kind].map((rate, i) => rate / samples.floor[i]!));
      const readRate = median(samples.reads);
      const loginRate = median(samples.logins);
      const readRatio = pairedRatio("reads");
      const readsMet = readRatio >= readsTargetRatio;
      const loginsMet = loginRate >= loginsTarget;
      const cpu = (kind: keyof typeof specs) => {
        const known = (pick: (run: LoadRun) => number | undefined) => {
          const values = loads[kind].map(pick).filter((value): value is number => value !== undefined);
          return values.length > 0 ? median(values) : undefined;
        };
        return { serverCpuUsPerRequest: known((run) => run.serverCpuUs), serverSystemUsPerRequest: known((run) => run.serverSystemUs), serverBusy: known((run) => run.serverBusy), generatorBusy: known((run) => run.generatorBusy) };
      };
      const floorFigure = { value: floorRate, unit: "req/s" as const, what: "node:http answering the same fixed JSON body, same generator" };
      const clients = `${connections} client${connections === 1 ? "" : "s"}`;
      rows.push({
        id: `throughput.reads.${connections}`,
        section: "Dev backend throughput",
        scenario: `dev backend KV v2 reads, ${clients}`,
        measured: { value: readRate, unit: "req/s" },
        floor: floorFigure,
        ratio: readRatio,
        target: { text: `≥ ${readsTargetRatio * 100}% of floor`, met: readsMet, ...(readsMet ? {} : { missedBy: `${(100 * readRatio).toFixed(0)}% of the floor against ${readsTargetRatio * 100}%` }) },
        details: { samples: samples.reads, floorSamples: samples.floor, durationMs, cpu: cpu("reads"), floorCpu: cpu("floor") },
      });
      rows.push({
        id: `throughput.logins.${connections}`,
        section: "Dev backend throughput",
        scenario: `dev backend JWT logins, ${clients}`,
        measured: { value: loginRate, unit: "req/s" },
        floor: floorFigure,
        ratio: pairedRatio("logins"),
        target: { text: `≥ ${loginsTarget.toLocaleString("en-US")}/s`, met: loginsMet, ...(loginsMet ? {} : { missedBy: `${Math.round(loginRate)}/s against ${loginsTarget}/s` }) },
        details: { samples: samples.logins, durationMs, cpu: cpu("logins") },
      });
      if (!readsMet || context.profileAll) missedAt.set("reads", connections);
      if (!loginsMet || context.profileAll) missedAt.set("logins", connections);
    }
  } finally {
    await helper?.stop();
    const code = await backend.stop();
    if (code !== 0) context.functionalErrors.push(`keybridge dev (throughput benchmark) exited with ${code} on SIGTERM`);
  }

  if (!context.quick || context.profileAll) {
    // Profile the dev backend under each missed kind, at the most clients it was missed with; for
    // reads, the floor too, under the same load, to compare the work per request.
    for (const [kind, connections] of missedAt) {
      context.log(`throughput: profiling the dev backend under ${kind} with ${connections} clients`);
      const summary = await profileUnderLoad(context, `dev-${kind}`, keybridgeCommandLine(["dev", "--json"]).args,
        `keybridge dev under ${kind}, ${connections} clients, the ${durationMs} ms of load only`,
        async (firstLine) => {
          const info = JSON.parse(firstLine) as BackendInfo;
          const { jwt, readToken } = await setUp(info);
          return kind === "reads"
            ? { url: info.vault.addr, method: "GET", path: readPath, headers: { "x-vault-token": readToken } }
            : { url: info.vault.addr, method: "POST", path: "/v1/auth/jwt/login", body: { role: "bench", jwt: await jwt() } };
        }, connections, durationMs);
      if (summary) profiles.push(summary);
      if (kind === "reads") {
        const floor = await profileUnderLoad(context, "floor", [floorServer, readBodyText],
          `the floor (node:http) under reads, ${connections} clients, the ${durationMs} ms of load only`,
          async (firstLine) => ({ url: (JSON.parse(firstLine) as { url: string }).url, method: "GET", path: readPath, headers: { "x-vault-token": "x" } }),
          connections, durationMs);
        if (floor) profiles.push(floor);
      }
    }
  }
  return { rows, profiles };
}
