// Steps written for hashicorp/vault-action v3, with only `uses:` changed: the committed bundle,
// run under the runner's file protocol against `keybridge dev` loaded from Terraform, must log in
// with each of vault-action's auth methods and export what vault-action exports (the same
// environment variables and one step output per secret), and post still revokes the token.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { devVaultAdmin, vaultCall, vaultRequest } from "../../testkit/admin/vault.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));

const db = { password: "pw-7c1e-db", username: "app-user", "api-key": "ak-93f0", config: { host: "db.internal", port: 5432 } };
const roleId = "ci-role-id-5d1a";
const secretId = "ci-secret-id-77b2";
const userPassword = "userpass-pw-1f0c";
const ldapPassword = "ldap-pw-4e2a";
const signing = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKeyBase64 = Buffer.from(signing.privateKey.export({ type: "pkcs8", format: "pem" }).toString()).toString("base64");
const encryptedKeyBase64 = Buffer.from(signing.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "key-pw-0c1d" }).toString()).toString("base64");
const readPolicy = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';

const terraform = {
  resource: {
    vault_policy: { read: { name: "app-read", policy: readPolicy } },
    vault_kv_secret_v2: { db: { mount: "secret", name: "app/db", data_json: JSON.stringify(db) } },
    vault_auth_backend: {
      approle: { type: "approle" },
      userpass: { type: "userpass" },
      kubernetes: { type: "kubernetes" },
      machines: { type: "approle", path: "machines" },
    },
    vault_approle_auth_backend_role: {
      ci: { role_name: "ci", role_id: roleId, token_policies: ["app-read"] },
      machine: { backend: "${vault_auth_backend.machines.path}", role_name: "machine", role_id: "machine-role-id", bind_secret_id: false, secret_id_bound_cidrs: ["127.0.0.1/32"], token_policies: ["app-read"] },
    },
    vault_approle_auth_backend_role_secret_id: { ci: { role_name: "${vault_approle_auth_backend_role.ci.role_name}", secret_id: secretId } },
    vault_generic_endpoint: {
      user: { path: "auth/userpass/users/deployer", data_json: JSON.stringify({ password: userPassword, token_policies: ["app-read"] }), depends_on: ["vault_auth_backend.userpass"] },
      ldap_user: { path: "auth/ldap/users/alice", data_json: JSON.stringify({ password: ldapPassword, groups: "readers" }), depends_on: ["vault_ldap_auth_backend.ldap"] },
    },
    vault_ldap_auth_backend: { ldap: { url: "ldaps://ldap.example.internal", userdn: "ou=people,dc=example" } },
    vault_ldap_auth_backend_group: { readers: { groupname: "readers", policies: ["app-read"], backend: "${vault_ldap_auth_backend.ldap.path}" } },
    vault_kubernetes_auth_backend_config: { k8s: { backend: "${vault_auth_backend.kubernetes.path}", kubernetes_host: "https://kubernetes.default.svc" } },
    vault_kubernetes_auth_backend_role: {
      app: {
        backend: "${vault_auth_backend.kubernetes.path}", role_name: "app", bound_service_account_names: ["app"],
        bound_service_account_namespaces: ["ci"], audience: "vault", token_policies: ["app-read"],
      },
    },
    vault_github_auth_backend: { github: { organization: "acme" } },
    vault_github_team: { platform: { backend: "${vault_github_auth_backend.github.path}", team: "platform", policies: ["app-read"] } },
    vault_jwt_auth_backend: {
      github: { path: "jwt", oidc_discovery_url: "https://token.actions.githubusercontent.com", bound_issuer: "https://token.actions.githubusercontent.com" },
      signed: { path: "jwt-signed", jwt_validation_pubkeys: [signing.publicKey.export({ type: "spki", format: "pem" }).toString()] },
    },
    vault_jwt_auth_backend_role: {
      github: {
        backend: "${vault_jwt_auth_backend.github.path}", role_name: "ci", role_type: "jwt", user_claim: "repository",
        bound_audiences: ["sigstore"], bound_claims: { repository: "acme/app" }, token_policies: ["app-read"],
      },
      signed: {
        backend: "${vault_jwt_auth_backend.signed.path}", role_name: "signed", role_type: "jwt", user_claim: "repository",
        bound_claims: { iss: "vault-action", repository: "acme/app" }, token_policies: ["app-read"],
      },
    },
  },
};

let backend: RunningDevBackend;
let directory: string;
const jobs: LocalJob[] = [];
const secretValues = [db.password, db.username, db["api-key"], userPassword, ldapPassword, secretId];

async function runMain(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: { url: backend.info.vault.addr, ...inputs }, env });
  return { job, main };
}

/** A root call that must succeed, through testkit's admin client. */
const rootCall = (method: string, path: string, body?: unknown): Promise<any> => vaultRequest(devVaultAdmin(backend.info), method, path, body);

async function tokenStatus(token: string): Promise<number> {
  return (await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token })).status;
}

/** The step worked, exported DB_PASSWORD to env and outputs, and post revoked its token. */
async function assertLoggedInAndRevoked(job: LocalJob, main: StepResult, inputs: Record<string, string>): Promise<void> {
  assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
  assert.equal(job.env.get("DB_PASSWORD"), db.password);
  assert.equal(main.outputs.get("DB_PASSWORD"), db.password, "vault-action sets one step output per secret");
  assertNeverPrinted(main, secretValues);
  const token = [...main.state.values()].find((value) => value.startsWith("hvs."));
  assert.ok(token, "main saved the token it created for the post step");
  const post = await job.runStep(postScript, { inputs: { url: backend.info.vault.addr, ...inputs }, state: main.state });
  assert.equal(post.exitCode, 0);
  assert.equal(await tokenStatus(token), 403, "post revokes the token, which vault-action never does");
}

const dbLine = "secret/data/app/db password | DB_PASSWORD";

before(async () => {
  directory = mkdtempSync(join(tmpdir(), "keybridge-dropin-"));
  const file = join(directory, "main.tf.json");
  writeFileSync(file, JSON.stringify(terraform));
  backend = await launchDevBackend(["--terraform", file]);
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  assert.equal(await backend.stop(), 0);
  rmSync(directory, { recursive: true, force: true });
});

describe("vault-action steps with only uses: changed", () => {
  it("method approle with roleId and secretId", async () => {
    const inputs = { method: "approle", roleId, secretId, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("roleId without a method: approle is inferred, and the log says so", async () => {
    const inputs = { roleId, secretId, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    assert.match(main.stdout, /method is empty: using approle, inferred from the roleId input/);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method userpass with username and password", async () => {
    const inputs = { method: "userpass", username: "deployer", password: userPassword, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method ldap with username and password, policies from the user's group", async () => {
    const inputs = { method: "ldap", username: "alice", password: ldapPassword, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method kubernetes with a service-account token file and kubernetesTokenPath", async () => {
    const minted = await rootCall("POST", "auth/kubernetes/service-account-token", { namespace: "ci", service_account_name: "app", audience: "vault" });
    const tokenFile = join(directory, "sa-token");
    writeFileSync(tokenFile, minted.data.token, { mode: 0o600 });
    const inputs = { method: "kubernetes", role: "app", kubernetesTokenPath: tokenFile, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method github with githubToken, policies from the team", async () => {
    const issued = await rootCall("POST", "auth/github/dev-token", { user: "octocat", teams: ["platform"] });
    const inputs = { method: "github", githubToken: issued.data.token, secrets: dbLine };
    const { job, main } = await runMain(inputs);
    assert.ok(main.masks.includes(issued.data.token), "the GitHub token is masked");
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method jwt with jwtGithubAudience: the job's OIDC token for that audience", async () => {
    const inputs = { method: "jwt", role: "ci", jwtGithubAudience: "sigstore", secrets: dbLine };
    const { job, main } = await runMain(inputs, oidcEnv(await backend.mintJob({ repository: "acme/app" })));
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("method jwt with jwtPrivateKey: a self-signed JWT with iss vault-action", async () => {
    const inputs = { method: "jwt", path: "jwt-signed", role: "signed", jwtPrivateKey: privateKeyBase64, jwtTtl: "600", secrets: dbLine };
    const { job, main } = await runMain(inputs, { GITHUB_REPOSITORY: "acme/app" });
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("jwtKeyPassword opens an encrypted jwtPrivateKey", async () => {
    const inputs = { method: "jwt", path: "jwt-signed", role: "signed", jwtPrivateKey: encryptedKeyBase64, jwtKeyPassword: "key-pw-0c1d", secrets: dbLine };
    const { job, main } = await runMain(inputs, { GITHUB_REPOSITORY: "acme/app" });
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("any other method with authPayload: the body posted to auth/<method>/login", async () => {
    const inputs = { method: "machines", authPayload: JSON.stringify({ role_id: "machine-role-id" }), secrets: dbLine };
    const { job, main } = await runMain(inputs);
    await assertLoggedInAndRevoked(job, main, inputs);
  });

  it("token alone: vault-action's default method, never revoked by post", async () => {
    const { job, main } = await runMain({ token: backend.info.vault.rootToken, secrets: dbLine });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.stdout, /using token, inferred from the token input/);
    assert.equal(job.env.get("DB_PASSWORD"), db.password);
    assert.equal(main.outputs.get("DB_PASSWORD"), db.password);
    assert.equal(await tokenStatus(backend.info.vault.rootToken), 200);
  });

  it("namespace is sent as X-Vault-Namespace: paths resolve inside it", async () => {
    const admin = devVaultAdmin(backend.info);
    const inNamespace = { headers: { "X-Vault-Namespace": "team-a/" } };
    assert.ok((await vaultCall(admin, "POST", "sys/namespaces/team-a")).status < 300);
    assert.ok((await vaultCall(admin, "POST", "sys/mounts/kv", { body: { type: "kv", options: { version: "2" } }, ...inNamespace })).status < 300);
    assert.ok((await vaultCall(admin, "POST", "kv/data/app", { body: { data: { v: "in-team-a-5e1f" } }, ...inNamespace })).status < 300);
    const { job, main } = await runMain({ token: backend.info.vault.rootToken, namespace: "team-a", secrets: "kv/data/app v | TEAM_VALUE" });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("TEAM_VALUE"), "in-team-a-5e1f");
  });

  it("exportEnv: false exports nothing to the environment, and still one output per secret", async () => {
    const { job, main } = await runMain({ method: "approle", roleId, secretId, exportEnv: "false", secrets: `${dbLine};secret/data/app/db username` });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(main.exportedEnv.size, 0);
    assert.equal(job.env.has("DB_PASSWORD"), false);
    assert.equal(main.outputs.get("DB_PASSWORD"), db.password);
    assert.equal(main.outputs.get("username"), db.username, "an output keeps the key's case, as vault-action's");
    assert.deepEqual([...main.outputs.keys()].sort(), ["DB_PASSWORD", "username"], "toJSON(steps.x.outputs) holds the secrets only, as with vault-action");
  });

  it("exportToken and outputToken hand over the Vault token", async () => {
    const { main } = await runMain({ method: "approle", roleId, secretId, exportToken: "true", outputToken: "true", secrets: dbLine });
    assert.equal(main.exitCode, 0, main.stdout);
    const token = main.outputs.get("vault_token");
    assert.ok(token?.startsWith("hvs."));
    assert.equal(main.exportedEnv.get("VAULT_TOKEN"), token);
    assert.ok(main.masks.includes(token!));
  });

  it("names as vault-action 3.4: a.b.c → A__B__C, * | prefix upper-cased, quoted keys, ** keeps case", async () => {
    const secrets = [
      'secret/data/app/db "api-key"',
      "secret/data/app/db config.host",
      "secret/data/app/db * | cfg_",
    ].join(";\n");
    const { job, main } = await runMain({ method: "approle", roleId, secretId, secrets });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("APIKEY"), db["api-key"]);
    assert.equal(main.outputs.get("apikey"), db["api-key"]);
    assert.equal(job.env.get("CONFIG__HOST"), db.config.host);
    assert.equal(job.env.get("CFG_PASSWORD"), db.password);
    assert.equal(main.outputs.get("cfg_password"), db.password);
    assert.equal(job.env.get("CFG_CONFIG"), JSON.stringify(db.config), "objects are exported as compact JSON");
  });

  it("a request split over two lines, and a pinned KV version with ?version=1", async () => {
    await rootCall("POST", "secret/data/app/db", { data: { ...db, password: "pw-version-2" } });
    const secrets = "secret/data/app/db?version=1\n  password | OLD_PASSWORD ;\nsecret/data/app/db password | NEW_PASSWORD";
    const { job, main } = await runMain({ method: "approle", roleId, secretId, secrets });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("OLD_PASSWORD"), db.password);
    assert.equal(job.env.get("NEW_PASSWORD"), "pw-version-2");
    await rootCall("POST", "secret/data/app/db", { data: db });
  });

  it("secretEncodingType: base64 decodes each value before it is masked and exported", async () => {
    const encoded = Buffer.from("decoded-value-31ab").toString("base64");
    await rootCall("POST", "secret/data/app/encoded", { data: { value: encoded } });
    const { job, main } = await runMain({ method: "approle", roleId, secretId, secretEncodingType: "base64", secrets: "secret/data/app/encoded value | PLAIN" });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("PLAIN"), "decoded-value-31ab");
    assert.ok(main.masks.includes("decoded-value-31ab"));
  });

  it("ignoreNotFound: a missing path is skipped, the rest exported", async () => {
    const { job, main } = await runMain({ method: "approle", roleId, secretId, ignoreNotFound: "true", secrets: `${dbLine};secret/data/app/missing key | MISSING` });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("DB_PASSWORD"), db.password);
    assert.equal(job.env.has("MISSING"), false);
  });

  it("extraHeaders are sent, and tlsSkipVerify works with a warning", async () => {
    const { main } = await runMain({ method: "approle", roleId, secretId, extraHeaders: "X-Team: ml\nx-team: infra", tlsSkipVerify: "true", secrets: dbLine });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.stdout, /::warning::tlsSkipVerify is true/);
  });

  it("fails with one line naming both spellings when exportEnv and export-env disagree", async () => {
    const { main } = await runMain({ method: "approle", roleId, secretId, exportEnv: "false", "export-env": "true", secrets: dbLine });
    assert.equal(main.exitCode, 1);
    const errors = main.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /export-env .*exportEnv .*disagree/);
  });

  it("fails with the login refused when the AppRole secret id is wrong, exporting nothing", async () => {
    const { main } = await runMain({ method: "approle", roleId, secretId: "wrong-secret-id", secrets: dbLine });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::.*refused the AppRole login/);
    assert.equal(main.exportedEnv.size, 0);
    assert.doesNotMatch(main.stdout.replace(/^::add-mask::.*$/gm, ""), /wrong-secret-id/, "the secret id is masked, never printed");
  });
});
