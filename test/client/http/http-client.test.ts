import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpClient } from "../../../client/http/http-client.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
const handlers = new Map<string, Handler>();
const hits = new Map<string, number>();

before(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url!, "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = handlers.get(path);
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(options: { timeoutMs?: number; retries?: number } = {}) {
  const delays: number[] = [];
  const logs: string[] = [];
  const http = new HttpClient({
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 4,
    log: (line) => logs.push(line),
    sleep: async (ms) => void delays.push(ms),
  });
  return { http, delays, logs };
}

function get(http: HttpClient, path: string) {
  return http.request({ method: "GET", url: new URL(path, base), purpose: `reading ${path}` });
}

describe("HTTP client", () => {
  it("retries 503 until it succeeds, honouring Retry-After", async () => {
    let calls = 0;
    handlers.set("/flaky", (_request, response) => {
      calls++;
      if (calls <= 2) response.writeHead(503, { "retry-after": "2" }).end('{"errors":["sealed"]}');
      else response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const { http, delays, logs } = client();
    try {
      const response = await get(http, "/flaky");
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, { ok: true });
      assert.deepEqual(delays, [2_000, 2_000]);
      assert.match(logs[0]!, /reading \/flaky: HTTP 503; retrying in 2000 ms \(attempt 2 of 5\)/);
    } finally {
      await http.close();
    }
  });

  it("gives the last answer back when retries run out", async () => {
    handlers.set("/down", (_request, response) => response.writeHead(502).end());
    const { http, delays } = client({ retries: 2 });
    try {
      assert.equal((await get(http, "/down")).status, 502);
      assert.equal(delays.length, 2);
    } finally {
      await http.close();
    }
  });

  it("does not retry a refusal", async () => {
    hits.delete("/forbidden");
    handlers.set("/forbidden", (_request, response) => response.writeHead(403).end('{"errors":["permission denied"]}'));
    const { http } = client();
    try {
      assert.equal((await get(http, "/forbidden")).status, 403);
      assert.equal(hits.get("/forbidden"), 1);
    } finally {
      await http.close();
    }
  });

  it("retries a connection reset mid-body and a truncated JSON answer", async () => {
    let calls = 0;
    handlers.set("/reset", (request, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(200, { "content-length": "100" });
        response.write('{"data":');
        setTimeout(() => request.socket.destroy(), 10);
      } else if (calls === 2) {
        response.writeHead(200).end('{"data": {"a"');
      } else response.writeHead(200).end('{"data":{}}');
    });
    const { http, delays } = client();
    try {
      assert.deepEqual((await get(http, "/reset")).json, { data: {} });
      assert.equal(delays.length, 2);
    } finally {
      await http.close();
    }
  });

  it("gives up on a stalled server within the budget with one clear line", async () => {
    handlers.set("/stall", () => {});
    const { http } = client({ timeoutMs: 1_500, retries: 10 });
    const started = Date.now();
    try {
      await assert.rejects(get(http, "/stall"), (error: unknown) => {
        assert.ok(error instanceof KeybridgeError);
        assert.match(error.message, /^reading \/stall: no answer from 127\.0\.0\.1:\d+ within the 1\.5 s budget; .*timeout input$/);
        return true;
      });
      assert.ok(Date.now() - started < 4_000, "stays near the budget");
    } finally {
      await http.close();
    }
  });

  it("names an unresolvable host without retrying it", async () => {
    const { http, delays } = client();
    try {
      await assert.rejects(
        http.request({ method: "GET", url: new URL("http://vault.invalid:8200/v1/sys/health"), purpose: "checking health" }),
        /checking health: the host vault\.invalid cannot be resolved \((ENOTFOUND|EAI_AGAIN)\)/,
      );
      assert.ok(delays.length === 0 || delays.length === 4, "ENOTFOUND is final; a DNS server that does not answer (EAI_AGAIN) is retried");
    } finally {
      await http.close();
    }
  });

  it("names a refused connection after retrying it", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { http, delays } = client({ retries: 2 });
    try {
      await assert.rejects(
        http.request({ method: "GET", url: new URL(`http://127.0.0.1:${port}/v1/x`), purpose: "reading x" }),
        new RegExp(`reading x: cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
      );
      assert.equal(delays.length, 2);
    } finally {
      await http.close();
    }
  });
});
