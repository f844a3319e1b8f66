// vault-action's TLS inputs at the HTTP layer: a client certificate for a backend that requires
// one (mutual TLS), and tlsSkipVerify, which trusts any certificate of the backend's origin only.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { HttpClient } from "../../../client/http/http-client.ts";
import { createClientCertificate, createTestCa, type TestCa } from "../../../testkit/test-ca.ts";

let ca: TestCa;
let server: Server;
let origin: string;
let clientCert: string;
let clientKey: string;

before(async () => {
  ca = createTestCa(["127.0.0.1"]);
  ({ cert: clientCert, key: clientKey } = createClientCertificate(ca, "ci-runner"));
  server = createServer({ key: ca.serverKey, cert: ca.serverCert, ca: ca.caPem, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ client: (request.socket as import("node:tls").TLSSocket).getPeerCertificate().subject?.CN }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  ca.dispose();
});

async function get(client: HttpClient): Promise<unknown> {
  try {
    return (await client.request({ method: "GET", url: new URL(`${origin}/v1/sys/health`), purpose: "reading health" })).json;
  } finally {
    await client.close();
  }
}

describe("TLS to the backend beyond a CA", () => {
  it("presents clientCertificate and clientKey to a backend that requires a client certificate", async () => {
    const client = new HttpClient({ timeoutMs: 10_000, retries: 0, caCertificate: ca.caPem, backendTls: { origin, cert: clientCert, key: clientKey, rejectUnauthorized: true } });
    assert.deepEqual(await get(client), { client: "ci-runner" });
  });

  it("fails without a client certificate where one is required", async () => {
    const client = new HttpClient({ timeoutMs: 10_000, retries: 0, caCertificate: ca.caPem });
    await assert.rejects(get(client), /reading health/);
  });

  it("with tlsSkipVerify, trusts the backend's certificate without its CA", async () => {
    const client = new HttpClient({ timeoutMs: 10_000, retries: 0, backendTls: { origin, cert: clientCert, key: clientKey, rejectUnauthorized: false } });
    assert.deepEqual(await get(client), { client: "ci-runner" });
  });

  it("without tlsSkipVerify or the CA, refuses the backend's certificate and says how to trust it", async () => {
    const client = new HttpClient({ timeoutMs: 10_000, retries: 0, backendTls: { origin, cert: clientCert, key: clientKey, rejectUnauthorized: true } });
    await assert.rejects(get(client), /not trusted .*ca-certificate/);
  });
});
