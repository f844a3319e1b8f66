// node-vault (npm, not written here) against the dev backend's PKI engine: mount it, generate a
// root, write a role, issue a certificate that chains to the root, and Vault's refusal of a name
// outside the role as node-vault reports it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { createRequire } from "node:module";
import { startTestBackend, type TestBackend } from "../support/dev-backend.ts";

const require = createRequire(import.meta.url);
const nodeVault = require("node-vault") as (options: Record<string, unknown>) => any;

let test: TestBackend;
let client: any;

before(async () => {
  test = await startTestBackend();
  client = nodeVault({ apiVersion: "v1", endpoint: test.addr, token: test.rootToken });
});

after(() => test.close());

describe("node-vault 0.12 with the PKI engine", () => {
  it("mounts pki, generates a root, writes a role and issues a certificate that chains to the root", async () => {
    await client.mount({ mount_point: "pki", type: "pki" });
    const root = await client.write("pki/root/generate/internal", { common_name: "Conformance Root", ttl: "8760h" });
    const ca = new X509Certificate(root.data.certificate);
    assert.equal(ca.ca, true);
    assert.equal(root.data.issuing_ca, root.data.certificate);
    assert.equal(root.data.private_key, undefined, "an internal root keeps its key");

    await client.write("pki/roles/ci", { allowed_domains: "ci.example.test", allow_subdomains: true, max_ttl: "2h" });
    const issued = await client.write("pki/issue/ci", { common_name: "build-7.ci.example.test", ip_sans: "127.0.0.1" });
    const leaf = new X509Certificate(issued.data.certificate);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.equal(leaf.subjectAltName, "DNS:build-7.ci.example.test, IP Address:127.0.0.1");
    assert.ok(leaf.checkPrivateKey(createPrivateKey(issued.data.private_key)));
    assert.equal(issued.data.expiration, Math.floor(test.clock.ms / 1000) + 2 * 3600, "no ttl asked: the role's max_ttl");
  });

  it("reports a common name outside the role with Vault's message and status", async () => {
    await assert.rejects(client.write("pki/issue/ci", { common_name: "ci.example.test" }), (error: any) => {
      assert.equal(error.response.statusCode, 400);
      assert.equal(error.message, "common name ci.example.test not allowed by this role");
      return true;
    });
  });
});
