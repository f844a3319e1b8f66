// A closed-loop HTTP load generator, run as its own process with plain `node`: N keep-alive
// connections (an undici Pool), N workers each sending the next request as soon as the previous
// answer is read, for a fixed duration and never more than a fixed count. Prints one JSON line:
// completed requests, their statuses, the elapsed milliseconds and the generator's own CPU time.
//   node generate.mjs '{"url":"http://127.0.0.1:PORT","method":"GET","path":"/v1/…","headers":{},"body":null,
//                       "connections":16,"durationMs":2000,"maxRequests":2000000}'
import { Pool } from "undici";

const spec = JSON.parse(process.argv[2] ?? "{}");
const origin = new URL(spec.url).origin;
const connections = Math.max(1, Math.min(256, spec.connections ?? 1));
const durationMs = Math.max(50, Math.min(60_000, spec.durationMs ?? 1000));
const maxRequests = Math.max(1, Math.min(10_000_000, spec.maxRequests ?? 1_000_000));
const body = spec.body == null ? undefined : JSON.stringify(spec.body);
const headers = { ...(spec.headers ?? {}), ...(body === undefined ? {} : { "content-type": "application/json" }) };
const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });

const statuses = {};
let started = 0;
let completed = 0;
let failures = 0;
let firstFailure;

const cpuBefore = process.cpuUsage();
const begin = performance.now();
const deadline = begin + durationMs;

async function worker() {
  while (performance.now() < deadline && started < maxRequests) {
    started += 1;
    try {
      const response = await pool.request({ method: spec.method ?? "GET", path: spec.path ?? "/", headers, body });
      await response.body.dump({ limit: 1 << 20 });
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      completed += 1;
    } catch (error) {
      failures += 1;
      firstFailure ??= error.message;
    }
  }
}

await Promise.all(Array.from({ length: connections }, worker));
const elapsedMs = performance.now() - begin;
const cpu = process.cpuUsage(cpuBefore);
await pool.close();
process.stdout.write(`${JSON.stringify({ completed, failures, firstFailure, statuses, elapsedMs, connections, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
