// An http:// backend behind HTTP_PROXY: the request goes to the proxy with the absolute URI and
// the proxy's credentials, as curl sends it; NO_PROXY and loopback go direct.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpClient } from "../../../client/http/http-client.ts";

let proxy: Server;
let proxyPort: number;
const seen: Array<{ url: string | undefined; host: string | undefined; authorization: string | undefined }> = [];

before(async () => {
  // A forward proxy that answers for any target itself, and remembers what it was asked.
  proxy = createServer((request, response) => {
    seen.push({ url: request.url, host: request.headers.host, authorization: request.headers["proxy-authorization"] });
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end('{"via":"proxy"}'));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});

after(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

afterEach(() => {
  for (const name of ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]) delete process.env[name];
  seen.length = 0;
});

async function get(url: string): Promise<unknown> {
  const http = new HttpClient({ timeoutMs: 3_000, retries: 0 });
  try {
    return (await http.request({ method: "GET", url: new URL(url), purpose: "reading x" })).json;
  } finally {
    await http.close();
  }
}

describe("HTTP_PROXY for an http:// backend", () => {
  it("asks the proxy for the absolute URI, with the proxy's credentials", async () => {
    process.env.HTTP_PROXY = `http://ci-user:pr0xy-pa55@127.0.0.1:${proxyPort}`;
    assert.deepEqual(await get("http://vault.keybridge.test:8200/v1/secret/data/app?version=2"), { via: "proxy" });
    assert.deepEqual(seen, [{
      url: "http://vault.keybridge.test:8200/v1/secret/data/app?version=2",
      host: "vault.keybridge.test:8200",
      authorization: `Basic ${Buffer.from("ci-user:pr0xy-pa55").toString("base64")}`,
    }]);
  });

  it("goes direct for NO_PROXY hosts", async () => {
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxyPort}`;
    process.env.NO_PROXY = ".keybridge.test";
    await assert.rejects(get("http://vault.keybridge.test:8200/v1/sys/health"), /cannot be resolved/);
    assert.equal(seen.length, 0);
  });
});
