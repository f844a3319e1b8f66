// The post step reaches the backend as main did: the client certificate, skipped verification and
// extra headers main saved in the step's state are used again for the revoke request.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { revokeSavedToken } from "../../action/revoke.ts";
import { createClientCertificate, createTestCa, type TestCa } from "../../testkit/test-ca.ts";

let ca: TestCa;
let server: Server;
let url: string;
let clientPem: string;
let clientKeyPem: string;
const seen: Array<{ path: string | undefined; client: string | undefined; headers: IncomingHttpHeaders }> = [];

before(async () => {
  ca = createTestCa(["127.0.0.1"]);
  ({ cert: clientPem, key: clientKeyPem } = createClientCertificate(ca, "ci-runner"));
  server = createServer({ key: ca.serverKey, cert: ca.serverCert, ca: ca.caPem, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    seen.push({ path: request.url, client: String((request.socket as TLSSocket).getPeerCertificate().subject?.CN), headers: request.headers });
    response.statusCode = 204;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  ca.dispose();
});

describe("post step: revoking over the connection main saved", () => {
  it("presents the client certificate (base64 of PEM, as vault-action takes it), skips verification and sends the extra headers", async () => {
    seen.length = 0;
    const connection = JSON.stringify({
      tls: { skipVerify: true, clientCertificate: Buffer.from(clientPem).toString("base64"), clientKey: Buffer.from(clientKeyPem).toString("base64") },
      extraHeaders: { "x-team": "ml" },
    });
    const outcome = await revokeSavedToken("s.revoke-me", { backend: "vault", url, namespace: undefined, caCertificate: undefined, connection });
    assert.equal(outcome, "revoked");
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.path, "/v1/auth/token/revoke-self");
    assert.equal(seen[0]!.client, "ci-runner");
    assert.equal(seen[0]!.headers["x-team"], "ml");
  });

  it("ignores a saved connection it cannot read and keeps checking the certificate", async () => {
    await assert.rejects(
      revokeSavedToken("s.revoke-me", { backend: "vault", url, namespace: undefined, caCertificate: undefined, connection: "{not json" }),
      /revoking the Vault token/,
    );
  });
});
