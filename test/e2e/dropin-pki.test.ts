// vault-action's pki input through the committed bundle, against `keybridge dev` loaded from
// Terraform with a PKI mount: the step issues from a role and exports what vault-action v3.4.0
// exports (NAME_CERT, NAME_KEY, NAME_CA, NAME_CA_CHAIN to env, the same names as outputs), every
// line masked and never printed; the certificate chains to the mount's CA and matches its key. A
// name outside the role fails with Vault's words and vault-action's errorMessage output.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { launchFromTerraform, type TerraformProcess } from "../support/dev-process.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { devVaultAdmin, vaultCall } from "../../testkit/admin/vault.ts";
import { assertMaskedBeforeExport, assertNeverPrinted } from "../support/secret-assertions.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));
const roleId = "pki-role-id-3b7e";
const issuePolicy = 'path "pki/issue/*" {\n  capabilities = ["update"]\n}\n';

const terraform = {
  resource: {
    vault_mount: { pki: { path: "pki", type: "pki" } },
    vault_pki_secret_backend_root_cert: { root: { backend: "${vault_mount.pki.path}", type: "internal", common_name: "CI Root", ttl: "87600h", key_type: "ec" } },
    vault_pki_secret_backend_role: {
      web: { backend: "${vault_mount.pki.path}", name: "web-server", allowed_domains: ["svc.example.test"], allow_subdomains: true, max_ttl: "24h" },
      client: { backend: "${vault_mount.pki.path}", name: "client", allowed_domains: ["clients.example.test"], allow_subdomains: true, key_type: "ec" },
    },
    vault_policy: { issue: { name: "issue", policy: issuePolicy } },
    vault_auth_backend: { approle: { type: "approle" } },
    vault_approle_auth_backend_role: { ci: { role_name: "ci", role_id: roleId, bind_secret_id: false, secret_id_bound_cidrs: ["127.0.0.1/32"], token_policies: ["issue"] } },
  },
};

let dev: TerraformProcess;
let backend: RunningDevBackend;
let caPem: string;
const jobs: LocalJob[] = [];

async function runMain(inputs: Record<string, string>): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: { url: backend.info.vault.addr, method: "approle", roleId, ...inputs } });
  return { job, main };
}

before(async () => {
  dev = await launchFromTerraform(terraform);
  backend = dev.backend;
  caPem = await (await fetch(`${backend.info.vault.addr}/v1/pki/ca/pem`)).text();
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  await dev?.close();
});

describe("vault-action pki steps with only uses: changed", () => {
  it("issues from a role and exports the certificate, key, CA and chain under vault-action's names, masked", async () => {
    const inputs = { pki: 'pki/issue/web-server {"common_name": "ci.svc.example.test", "alt_names": "api.svc.example.test", "ttl": "1h"}' };
    const { job, main } = await runMain(inputs);
    assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
    const names = ["WEBSERVER_CERT", "WEBSERVER_KEY", "WEBSERVER_CA", "WEBSERVER_CA_CHAIN"];
    assert.deepEqual(names.filter((name) => job.env.has(name)), names, "the role's - is dropped, as vault-action's normalizeOutputKey does");
    assert.deepEqual([...main.outputs.keys()].sort(), ["webserver_ca", "webserver_ca_chain", "webserver_cert", "webserver_key"]);
    for (const name of names) assert.equal(main.outputs.get(name.toLowerCase()), job.env.get(name));

    const certificate = new X509Certificate(job.env.get("WEBSERVER_CERT")!);
    const ca = new X509Certificate(caPem);
    assert.ok(certificate.checkIssued(ca) && certificate.verify(ca.publicKey), "the certificate chains to the mount's CA");
    assert.equal(certificate.subjectAltName, "DNS:ci.svc.example.test, DNS:api.svc.example.test");
    assert.ok(certificate.checkPrivateKey(createPrivateKey(job.env.get("WEBSERVER_KEY")!)));
    assert.equal(job.env.get("WEBSERVER_CA"), caPem);
    assert.equal(job.env.get("WEBSERVER_CA_CHAIN"), caPem, "the chain's certificates joined by newlines; one root here");
    assert.ok(Date.parse(certificate.validTo) - Date.now() <= 3600_000 + 60_000, "the ttl asked for");

    const values = [job.env.get("WEBSERVER_KEY")!, job.env.get("WEBSERVER_CERT")!];
    assertMaskedBeforeExport(main, values);
    assertNeverPrinted(main, values);
    assert.match(main.stdout, /Issued a certificate at pki\/issue\/web-server \(serial number [0-9a-f:]+\)/);
    const token = [...main.state.values()].find((value) => value.startsWith("hvs."));
    const post = await job.runStep(postScript, { inputs: { url: backend.info.vault.addr }, state: main.state });
    assert.equal(post.exitCode, 0);
    assert.ok(token, "main saved the token it created for the post step");
    assert.equal((await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token })).status, 403, "post revoked the token");
  });

  it("issues several certificates separated by ;, and exportEnv false leaves only the outputs", async () => {
    const inputs = {
      pki: 'pki/issue/web-server {"common_name": "a.svc.example.test"};\npki/issue/client {"common_name": "runner.clients.example.test"}',
      exportEnv: "false",
    };
    const { job, main } = await runMain(inputs);
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.size, 0, "nothing in the environment");
    assert.equal(main.outputs.size, 8);
    assert.match(main.outputs.get("client_key")!, /^-----BEGIN EC PRIVATE KEY-----/);
    assert.equal(new X509Certificate(main.outputs.get("client_cert")!).subject, "CN=runner.clients.example.test");
  });

  it("fails when the common name lies outside the role: Vault's words, and the errorMessage output", async () => {
    const { job, main } = await runMain({ pki: 'pki/issue/web-server {"common_name": "evil.example.org"}' });
    assert.equal(main.exitCode, 1);
    const line = "KB_ISSUE_REFUSED: pki/issue/web-server: Vault refused to issue a certificate (HTTP 400): common name evil.example.org not allowed by this role";
    assert.ok(main.stdout.includes(`::error::${line}`), main.stdout);
    assert.ok(main.outputs.get("errorMessage")?.startsWith(line), "vault-action sets errorMessage when the step fails");
    assert.equal(job.env.size, 0);
  });

  it("fails on secrets and pki together, with errorMessage set", async () => {
    const { main } = await runMain({ pki: 'pki/issue/client {"common_name": "x.clients.example.test"}', secrets: "secret/data/app password" });
    assert.equal(main.exitCode, 1);
    assert.match(main.outputs.get("errorMessage") ?? "", /^KB_INPUT_INVALID: Inputs secrets and pki are both given/);
  });
});
