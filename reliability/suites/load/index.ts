// Load: 200 concurrent clients, each on its own keep-alive connection, log in with a GitHub OIDC
// token, read the job's secrets and revoke the token, again and again for a bounded time, against
// the dev backend as a process. No request may fail, and the backend's memory must stay bounded.
import { readFileSync } from "node:fs";
import { Agent } from "undici";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { configureDemo, demoRole } from "../../../testkit/demo-setup.ts";
import { devVaultAdmin } from "../../../testkit/admin/vault.ts";
import { githubToken } from "../../../testkit/admin/oidc-jobs.ts";
import type { Attempt, Suite } from "../../report.ts";

const allowedJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
const paths = ["secret/data/ml-training/prod/database", "secret/data/ml-training/prod/api"];

/** The process's peak resident memory in MiB (Linux VmHWM), or undefined elsewhere. */
function peakRssMiB(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Tally { requests: number; logins: number; errors: number; firstError: string | undefined }

async function client(agent: Agent, addr: string, jwt: string, until: number, tally: Tally): Promise<void> {
  const call = async (method: "GET" | "POST", path: string, token?: string, body?: unknown): Promise<any> => {
    tally.requests++;
    const response = await agent.request({
      origin: addr, path: `/v1/${path}`, method,
      headers: { "content-type": "application/json", ...(token ? { "x-vault-token": token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${response.statusCode}`);
    return text === "" ? undefined : JSON.parse(text);
  };
  while (Date.now() < until) {
    try {
      const login = await call("POST", "auth/jwt/login", undefined, { role: demoRole.name, jwt });
      tally.logins++;
      const token = String(login.auth.client_token);
      for (const path of paths) await call("GET", path, token);
      await call("POST", "auth/token/revoke-self", token);
    } catch (error) {
      tally.errors++;
      tally.firstError ??= (error as Error).message;
    }
  }
}

export const load: Suite = async ({ quick, log }) => {
  const backend = await launchDevBackend();
  try {
    await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
    const jwt = await githubToken(devVaultAdmin(backend.info), allowedJob, demoRole.audience);
    const clients = 200;
    const seconds = quick ? 2 : 20;
    const rssBefore = peakRssMiB(backend.process.pid);
    const tally: Tally = { requests: 0, logins: 0, errors: 0, firstError: undefined };
    // One connection per client: the agent pools by origin, so give each client its own agent.
    const agents = Array.from({ length: clients }, () => new Agent({ connections: 1 }));
    const started = Date.now();
    await Promise.all(agents.map((clientAgent) => client(clientAgent, backend.info.vault.addr, jwt, started + seconds * 1000, tally)));
    const elapsed = (Date.now() - started) / 1000;
    await Promise.all(agents.map((clientAgent) => clientAgent.close()));
    const peak = peakRssMiB(backend.process.pid);
    const rate = Math.round(tally.requests / elapsed);
    log(`${clients} clients, ${elapsed.toFixed(1)} s: ${tally.requests} requests (${rate}/s), ${tally.logins} logins, ${tally.errors} errors, peak RSS ${peak?.toFixed(0) ?? "?"} MiB`);
    const memoryBound = 512;
    const attempts: Attempt[] = [
      { tried: `${clients} concurrent clients, login + 2 reads + revoke, ${seconds} s`, outcome: tally.errors === 0 ? `${tally.requests} requests, no error` : `${tally.errors} errors, first: ${tally.firstError}`, held: tally.errors === 0 && tally.logins > 0 },
      { tried: `the dev backend's peak memory stays under ${memoryBound} MiB`, outcome: peak === undefined ? "not measurable on this system" : `${peak.toFixed(0)} MiB (before the load: ${rssBefore?.toFixed(0) ?? "?"} MiB)`, held: peak === undefined || peak < memoryBound },
    ];
    return {
      name: "Load",
      about: "200 concurrent clients, each on its own keep-alive connection, log in with a GitHub OIDC token, read two KV v2 secrets and revoke their token, in a loop for a bounded time, against `keybridge dev` as a separate process. No request may fail, and the backend's peak resident memory must stay bounded.",
      attempts,
      figures: {
        clients: String(clients), duration: `${elapsed.toFixed(1)} s`, requests: String(tally.requests), "requests/s": String(rate),
        logins: String(tally.logins), errors: String(tally.errors), "peak RSS of the backend": peak === undefined ? "n/a" : `${peak.toFixed(0)} MiB`,
      },
    };
  } finally {
    await backend.stop();
  }
};
