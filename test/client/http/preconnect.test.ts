// Connections opened ahead of the requests: the requests use them (no new connection), a failed
// one is dropped without a word (the request then reports its own failure), and close() ends the
// ones no request took.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { HttpClient, connectionsPerOrigin } from "../../../client/http/http-client.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

let server: Server;
let base: URL;
const open = new Set<Socket>();
let accepted = 0;

before(async () => {
  server = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  server.on("connection", (socket: Socket) => {
    accepted += 1;
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Waits (at most 2 s, in 10 ms steps) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(10);
  assert.ok(done(), "the condition did not come true within 2 s");
}

const client = () => new HttpClient({ timeoutMs: 5_000, retries: 0 });
const get = (http: HttpClient, path: string, url = base) => http.request({ method: "GET", url: new URL(path, url), purpose: `reading ${path}` });

describe("HTTP client: connections opened ahead", () => {
  it("sends the requests over the connections it opened ahead, opening none more", async () => {
    accepted = 0;
    const http = client();
    try {
      http.preconnect(base, 3);
      await until(() => accepted === 3);
      const answers = await Promise.all(["/a", "/b", "/c"].map((path) => get(http, path)));
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200]);
      assert.equal(accepted, 3);
    } finally {
      await http.close();
    }
  });

  it("opens no more than the pool holds", async () => {
    accepted = 0;
    const http = client();
    try {
      http.preconnect(base, connectionsPerOrigin + 5);
      await until(() => accepted === connectionsPerOrigin);
      await sleep(50);
      assert.equal(accepted, connectionsPerOrigin);
    } finally {
      await http.close();
    }
  });

  it("ends the connections no request took when it closes", async () => {
    const http = client();
    http.preconnect(base, 2);
    await until(() => open.size === 2);
    await http.close();
    await until(() => open.size === 0);
  });

  it("drops a connection that fails: the request reports its own failure, once", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new URL(`http://127.0.0.1:${port}`);
    const http = client();
    try {
      http.preconnect(nowhere, 2);
      await sleep(50);
      await assert.rejects(get(http, "/a", nowhere), (error: unknown) => error instanceof KeybridgeError && /^reading \/a: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/.test(error.message));
    } finally {
      await http.close();
    }
  });
});
