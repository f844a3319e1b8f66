// The PKI engine loaded from Terraform (vault_mount type pki, vault_pki_secret_backend_root_cert,
// vault_pki_secret_backend_role): issued certificates chain to the mount's CA (checked by node's
// X509Certificate and by openssl), carry the names the request asked for, live no longer than the
// role's max_ttl, match their private key; a name outside the role is refused in Vault's words.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectOk, startFromTerraform, type TerraformTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const document = {
  resource: {
    vault_mount: { pki: { path: "pki", type: "pki", max_lease_ttl_seconds: 86400 * 365 } },
    vault_pki_secret_backend_root_cert: {
      root: { backend: "${vault_mount.pki.path}", type: "internal", common_name: "Keybridge Dev Root", ttl: "8760h", key_type: "ec", key_bits: 384 },
    },
    vault_pki_secret_backend_role: {
      web: { backend: "${vault_mount.pki.path}", name: "web", allowed_domains: ["svc.example.test"], allow_subdomains: true, max_ttl: "72h", ttl: "24h" },
      apex: {
        backend: "${vault_mount.pki.path}", name: "apex", allowed_domains: ["example.test"], allow_bare_domains: true, key_type: "ec", key_bits: 256,
        depends_on: ["vault_pki_secret_backend_root_cert.root"],
      },
    },
  },
  output: { ca: { value: "${vault_pki_secret_backend_root_cert.root.certificate}" } },
};

let backend: TerraformTestBackend;
let test: TestBackend;

before(async () => {
  backend = await startFromTerraform(document, "pki.tf.json");
  test = backend.test;
});

after(() => backend?.close());

async function issue(role: string, body: Record<string, unknown>) {
  return (await expectOk(test.vault("POST", `pki/issue/${role}`, { body }))).body;
}

function openssl(...args: string[]): string {
  return execFileSync("openssl", args, { stdio: "pipe" }).toString("utf8");
}

describe("the PKI engine from Terraform", () => {
  it("serves the root certificate at ca/pem without a token, as the Terraform output shows it", async () => {
    const response = await fetch(`${test.addr}/v1/pki/ca/pem`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/pem-certificate-chain");
    const pem = await response.text();
    assert.equal(pem, test.backend.info.outputs!.ca);
    const ca = new X509Certificate(pem);
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, "CN=Keybridge Dev Root");
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1");
  });

  it("issues a certificate that chains to the CA, carries the names asked for and matches its key", async () => {
    const { data, warnings } = await issue("web", { common_name: "api.svc.example.test", alt_names: "db.svc.example.test", ttl: "1h" });
    assert.equal(warnings, null);
    assert.deepEqual(Object.keys(data).sort(), ["ca_chain", "certificate", "expiration", "issuing_ca", "private_key", "private_key_type", "serial_number"]);
    const ca = new X509Certificate(data.issuing_ca);
    const leaf = new X509Certificate(data.certificate);
    assert.deepEqual(data.ca_chain, [data.issuing_ca]);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), "signed by the mount's CA");
    assert.equal(leaf.ca, false);
    assert.equal(leaf.subject, "CN=api.svc.example.test");
    assert.equal(leaf.subjectAltName, "DNS:api.svc.example.test, DNS:db.svc.example.test");
    assert.equal(data.private_key_type, "rsa");
    assert.match(data.private_key, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.ok(leaf.checkPrivateKey(createPrivateKey(data.private_key)));
    assert.equal(data.serial_number, leaf.serialNumber.toLowerCase().match(/../g)!.join(":"));
    assert.equal(data.expiration, Math.floor(Date.parse(leaf.validTo) / 1000));
    assert.equal(data.expiration, Math.floor(test.clock.ms / 1000) + 3600);
  });

  it("passes openssl verify against the CA, for server and client use", async () => {
    const { data } = await issue("web", { common_name: "ci.svc.example.test" });
    const dir = mkdtempSync(join(tmpdir(), "kb-pki-"));
    try {
      writeFileSync(join(dir, "ca.pem"), data.issuing_ca);
      writeFileSync(join(dir, "leaf.pem"), data.certificate);
      // The backend's clock is the test's, so the validity window is not today's.
      for (const purpose of ["sslserver", "sslclient"]) {
        assert.match(openssl("verify", "-no_check_time", "-purpose", purpose, "-CAfile", join(dir, "ca.pem"), join(dir, "leaf.pem")), /leaf\.pem: OK/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the role's ttl by default and cuts a longer request to max_ttl with Vault's warning", async () => {
    const byDefault = await issue("web", { common_name: "a.svc.example.test" });
    assert.equal(byDefault.data.expiration, Math.floor(test.clock.ms / 1000) + 24 * 3600);
    const capped = await issue("web", { common_name: "b.svc.example.test", ttl: "1000h" });
    assert.equal(capped.data.expiration, Math.floor(test.clock.ms / 1000) + 72 * 3600);
    assert.match(capped.warnings[0], /is longer than permitted maxTTL/);
  });

  it("issues EC keys in SEC1 form, or PKCS#8 when asked, for a bare domain the role allows", async () => {
    const { data } = await issue("apex", { common_name: "example.test" });
    assert.equal(data.private_key_type, "ec");
    assert.match(data.private_key, /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.equal(new X509Certificate(data.certificate).publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    const pkcs8 = await issue("apex", { common_name: "example.test", private_key_format: "pkcs8" });
    assert.match(pkcs8.data.private_key, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("fails when a name lies outside the role, in Vault's words (HTTP 400)", async () => {
    const outside = await test.vault("POST", "pki/issue/web", { body: { common_name: "evil.example.org" } });
    assert.equal(outside.status, 400);
    assert.deepEqual(outside.body.errors, ["common name evil.example.org not allowed by this role"]);
    const bareNotAllowed = await test.vault("POST", "pki/issue/web", { body: { common_name: "svc.example.test" } });
    assert.deepEqual(bareNotAllowed.body.errors, ["common name svc.example.test not allowed by this role"]);
    const alt = await test.vault("POST", "pki/issue/web", { body: { common_name: "ok.svc.example.test", alt_names: "x.example.org" } });
    assert.deepEqual(alt.body.errors, ["subject alternate name x.example.org not allowed by this role"]);
    const unknown = await test.vault("POST", "pki/issue/nope", { body: { common_name: "a.svc.example.test" } });
    assert.deepEqual([unknown.status, unknown.body.errors], [400, ["unknown role: nope"]]);
  });

  it("keeps its root on a second generate, with Vault's warning", async () => {
    const again = await expectOk(test.vault("POST", "pki/root/generate/internal", { body: { common_name: "Other" } }));
    assert.match(again.body.warnings[0], /^Refusing to generate a root certificate over an existing root certificate/);
    const pem = await (await fetch(`${test.addr}/v1/pki/ca/pem`)).text();
    assert.equal(pem, test.backend.info.outputs!.ca);
  });

  it("reads the role back with the Terraform file's fields", async () => {
    const role = (await expectOk(test.vault("GET", "pki/roles/web"))).body.data;
    assert.deepEqual([role.allowed_domains, role.allow_subdomains, role.max_ttl, role.ttl, role.key_type], [["svc.example.test"], true, 72 * 3600, 24 * 3600, "rsa"]);
  });
});
