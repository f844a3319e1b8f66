// vault-action's TLS inputs end to end: the committed bundle against `keybridge dev` as a real
// process serving HTTPS. With --tls-cert/--tls-key/--tls-client-ca (an internal CA made by
// testkit's openssl, mutual TLS required): caCertificate with clientCertificate/clientKey works,
// and post revokes over the same connection; without a client certificate or without the CA the
// step fails with one line and errorMessage; tlsSkipVerify works and warns. With --tls the
// printed CA file is what caCertificate trusts.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, fetch as undiciFetch } from "undici";
import type { RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { launchFromTerraform, type TerraformProcess } from "../support/dev-process.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { createClientCertificate, createTestCa, type TestCa } from "../../testkit/test-ca.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));
const roleId = "tls-role-id-8a2c";
const password = "tls-db-pw-5e91";
const base64 = (text: string) => Buffer.from(text).toString("base64");

const terraform = {
  resource: {
    vault_policy: { read: { name: "read", policy: 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n' } },
    vault_kv_secret_v2: { db: { mount: "secret", name: "app/db", data_json: JSON.stringify({ password }) } },
    vault_auth_backend: { approle: { type: "approle" } },
    vault_approle_auth_backend_role: { ci: { role_name: "ci", role_id: roleId, bind_secret_id: false, secret_id_bound_cidrs: ["127.0.0.1/32"], token_policies: ["read"] } },
  },
};

let ca: TestCa;
let client: { cert: string; key: string };
let mutualDev: TerraformProcess;
let generatedDev: TerraformProcess;
let mutual: RunningDevBackend;
let generated: RunningDevBackend;
const jobs: LocalJob[] = [];

/** A vault-action step with approle; short budgets, so refusals fail fast. */
async function runMain(addr: string, inputs: Record<string, string>): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: { url: addr, method: "approle", roleId, secrets: "secret/data/app/db password | DB_PASSWORD", timeout: "10", retries: "0", ...inputs } });
  return { job, main };
}

/** lookup-self over mutual TLS, as an admin client with the test CA's client certificate. */
async function tokenStatus(token: string): Promise<number> {
  const dispatcher = new Agent({ connect: { ca: ca.caPem, cert: client.cert, key: client.key } });
  try {
    const response = await undiciFetch(`${mutual.info.vault.addr}/v1/auth/token/lookup-self`, { headers: { "X-Vault-Token": token }, dispatcher });
    await response.arrayBuffer();
    return response.status;
  } finally {
    await dispatcher.close();
  }
}

before(async () => {
  ca = createTestCa(["127.0.0.1", "localhost"]);
  client = createClientCertificate(ca, "ci-runner");
  // testkit's openssl run left the server's certificate and key in the CA's directory.
  const serverCert = join(ca.dir, "server.pem");
  const serverKey = join(ca.dir, "server.key");
  mutualDev = await launchFromTerraform(terraform, ["--tls-cert", serverCert, "--tls-key", serverKey, "--tls-client-ca", ca.caFile]);
  mutual = mutualDev.backend;
  generatedDev = await launchFromTerraform(terraform, ["--tls"]);
  generated = generatedDev.backend;
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  const caFile: string | undefined = (generated?.info as { tls?: { caFile?: string } } | undefined)?.tls?.caFile;
  await mutualDev?.close();
  await generatedDev?.close();
  if (caFile) assert.equal(existsSync(caFile), false, "--tls removes its temporary CA file at stop");
  ca?.dispose();
});

describe("vault-action TLS inputs against keybridge dev over HTTPS", () => {
  it("caCertificate with clientCertificate and clientKey: mutual TLS works, and post revokes over it", async () => {
    const inputs = { caCertificate: base64(ca.caPem), clientCertificate: base64(client.cert), clientKey: base64(client.key) };
    const { job, main } = await runMain(mutual.info.vault.addr, inputs);
    assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("DB_PASSWORD"), password);
    assertNeverPrinted(main, [password, client.key]);
    const token = [...main.state.values()].find((value) => value.startsWith("hvs."));
    assert.ok(token);
    assert.equal(await tokenStatus(token), 200);
    const post = await job.runStep(postScript, { inputs: { url: mutual.info.vault.addr, ...inputs }, state: main.state });
    assert.equal(post.exitCode, 0, post.stdout);
    assert.equal(await tokenStatus(token), 403, "post revoked the token over mutual TLS");
  });

  it("fails when the step brings no client certificate, with one line and errorMessage", async () => {
    const { job, main } = await runMain(mutual.info.vault.addr, { caCertificate: base64(ca.caPem) });
    assert.equal(main.exitCode, 1);
    const errors = main.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.equal(errors.length, 1, main.stdout);
    assert.match(errors[0]!, /^::error::KB_HTTP_FAILED: logging in to Vault with AppRole at auth\/approle: 127\.0\.0\.1:\d+ refused the TLS handshake \(ERR_SSL_\w+\): it requires a client certificate it trusts; give clientCertificate and clientKey/);
    assert.equal(`::error::${main.outputs.get("errorMessage")}`, errors[0]);
    assert.equal(job.env.size, 0);
  });

  it("fails when the server's CA is not trusted, naming the TLS problem and the fix", async () => {
    const { main } = await runMain(mutual.info.vault.addr, { clientCertificate: base64(client.cert), clientKey: base64(client.key) });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_HTTP_FAILED: logging in to Vault with AppRole at auth\/approle: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\); give its CA/);
  });

  it("tlsSkipVerify works without the CA, and warns", async () => {
    const { job, main } = await runMain(mutual.info.vault.addr, { tlsSkipVerify: "true", clientCertificate: base64(client.cert), clientKey: base64(client.key) });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("DB_PASSWORD"), password);
    assert.match(main.stdout, /::warning::tlsSkipVerify is true: the certificate of 127\.0\.0\.1:\d+ is not checked/);
  });

  it("--tls: the CA file it prints is what caCertificate trusts", async () => {
    const caFile = (generated.info as { tls?: { caFile?: string } }).tls?.caFile;
    assert.ok(caFile && generated.info.vault.addr.startsWith("https://"), JSON.stringify(generated.info));
    const { job, main } = await runMain(generated.info.vault.addr, { caCertificate: base64(readFileSync(caFile, "utf8")) });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("DB_PASSWORD"), password);
  });
});
