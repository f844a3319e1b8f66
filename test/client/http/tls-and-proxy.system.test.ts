// Self-hosted runners reach Vault through a corporate proxy and trust it through an internal CA.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { HttpClient } from "../../../client/http/http-client.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { createTestCa, type TestCa } from "../../../testkit/test-ca.ts";

let ca: TestCa;
let vault: HttpsServer;
let vaultPort: number;
let proxy: HttpServer;
let proxyPort: number;
const tunnels: Array<{ target: string; authorization: string | undefined }> = [];

before(async () => {
  ca = createTestCa(["localhost", "127.0.0.1", "vault.keybridge.test"]);
  vault = createHttpsServer({ key: ca.serverKey, cert: ca.serverCert }, (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" }).end('{"initialized":true}');
  });
  await new Promise<void>((resolve) => vault.listen(0, "127.0.0.1", resolve));
  vaultPort = (vault.address() as AddressInfo).port;
  // A CONNECT proxy that sends every tunnel to the test Vault, whatever host was asked for.
  proxy = createHttpServer();
  proxy.on("connect", (request, client, head) => {
    tunnels.push({ target: request.url ?? "", authorization: request.headers["proxy-authorization"] });
    const upstream = connect(vaultPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});

after(async () => {
  vault.closeAllConnections();
  proxy.closeAllConnections();
  await Promise.all([new Promise((resolve) => vault.close(resolve)), new Promise((resolve) => proxy.close(resolve))]);
  ca.dispose();
});

afterEach(() => {
  for (const name of ["HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"]) delete process.env[name];
});

async function health(url: string, caCertificate?: string): Promise<number> {
  const http = new HttpClient({ timeoutMs: 5_000, retries: 0, caCertificate });
  try {
    return (await http.request({ method: "GET", url: new URL(url), purpose: "checking Vault's health" })).status;
  } finally {
    await http.close();
  }
}

describe("TLS with an internal CA", () => {
  it("refuses a certificate from an unknown CA with one line that says how to trust it", async () => {
    await assert.rejects(health(`https://127.0.0.1:${vaultPort}/v1/sys/health`), (error: unknown) => {
      assert.ok(error instanceof KeybridgeError);
      assert.match(error.message, /^checking Vault's health: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \([A-Z_]+\); give its CA with the ca-certificate input or NODE_EXTRA_CA_CERTS$/);
      return true;
    });
  });

  it("trusts the CA given as PEM text, as a file path, or as base64 of PEM", async () => {
    const url = `https://localhost:${vaultPort}/v1/sys/health`;
    assert.equal(await health(url, ca.caPem), 200);
    assert.equal(await health(url, ca.caFile), 200);
    assert.equal(await health(url, Buffer.from(ca.caPem).toString("base64")), 200);
  });

  it("trusts NODE_EXTRA_CA_CERTS without any input", async () => {
    // A separate process (Node reads NODE_EXTRA_CA_CERTS at start), run without blocking this one's server.
    const script = fileURLToPath(new URL("../../support/health-check.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, `https://localhost:${vaultPort}/v1/sys/health`], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile },
      timeout: 30_000,
    });
    assert.equal(stdout.trim(), "200");
  });
});

describe("a corporate proxy", () => {
  it("tunnels through HTTPS_PROXY, with its credentials, and never prints them", async () => {
    process.env.HTTPS_PROXY = `http://ci-user:pr0xy-pa55@127.0.0.1:${proxyPort}`;
    tunnels.length = 0;
    assert.equal(await health(`https://vault.keybridge.test:${vaultPort}/v1/sys/health`, ca.caPem), 200);
    assert.equal(tunnels[0]?.target, `vault.keybridge.test:${vaultPort}`, "the proxy resolves the name, not the runner");
    assert.equal(tunnels[0]?.authorization, `Basic ${Buffer.from("ci-user:pr0xy-pa55").toString("base64")}`);
  });

  it("names the proxy without its credentials when the target cannot be reached", async () => {
    process.env.HTTPS_PROXY = `http://ci-user:pr0xy-pa55@127.0.0.1:1`;
    await assert.rejects(health(`https://vault.keybridge.test:${vaultPort}/v1/sys/health`, ca.caPem), (error: Error) => {
      assert.match(error.message, /through the proxy http:\/\/127\.0\.0\.1:1/);
      assert.doesNotMatch(error.message, /pa55|ci-user/);
      return true;
    });
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
    process.env.NO_PROXY = ".keybridge.test";
    tunnels.length = 0;
    await assert.rejects(health(`https://vault.keybridge.test:${vaultPort}/v1/sys/health`, ca.caPem), /cannot be resolved/);
    assert.equal(tunnels.length, 0);
  });
});
