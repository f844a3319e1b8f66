// `keybridge dev --terraform` on our own synth output: the example platform is synthesized in a
// child process (cdktf's App synthesizes once per process), loaded by `keybridge dev` as a separate
// process, and then checked only through the Vault API: policies, roles, a CI login that reads
// its secret and is refused another team's, rotation metadata, the SSO group and its alias, and
// the resolved outputs on the JSON line.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const audience = "https://github.com/acme";
const prodJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted" };

let dir: string;
let file: string;
let backend: RunningDevBackend;

async function vault(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${backend.info.vault.addr}/v1/${path}`, {
    method,
    headers: { "X-Vault-Token": options.token ?? backend.info.vault.rootToken },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as any) };
}

async function githubToken(claims: Record<string, string>): Promise<string> {
  const pair = await backend.mintJob(claims);
  const response = await fetch(`${pair.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { Authorization: `bearer ${pair.requestToken}` },
  });
  return ((await response.json()) as { value: string }).value;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-tf-synth-"));
  const synth = spawnSync(process.execPath, ["--import", "tsx", "examples/ml-platform/main.ts"], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: dir },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(synth.status, 0, synth.stderr);
  file = join(dir, "stacks", "secrets", "cdk.tf.json");
  backend = await launchDevBackend(["--terraform", file, "--auth-mount", "oidc=oidc"]);
});

after(async () => {
  if (backend) assert.equal(await backend.stop(), 0);
  await rm(dir, { recursive: true, force: true });
});

describe("keybridge dev --terraform cdk.tf.json (examples/ml-platform)", () => {
  it("reports every resource as applied and the outputs with references resolved", async () => {
    const synthesized = JSON.parse(await readFile(file, "utf8"));
    const resources = Object.values(synthesized.resource as Record<string, object>).reduce((sum, named) => sum + Object.keys(named).length, 0);
    assert.deepEqual((backend.info as any).terraform, { file, applied: resources });
    const prod = (backend.info.outputs?.["ci_roles_ml-training"] as any)["ci-prod"];
    assert.equal(prod.role, "ml-training-ci-prod");
    assert.equal(prod.path, "jwt");
    assert.deepEqual(prod.secrets, ["secret/data/ml-training/prod/api", "secret/data/ml-training/prod/database"]);
    assert.ok(!JSON.stringify(backend.info.outputs).includes("${"), "no reference is left unresolved");
  });

  it("writes the policies with the mount path resolved", async () => {
    const policy = await vault("GET", "sys/policies/acl/keybridge-ml-training-ci-prod");
    assert.equal(policy.status, 200);
    assert.match(policy.body.data.policy, /^path "secret\/data\/ml-training\/prod\/database" \{$/m);
    assert.ok(!policy.body.data.policy.includes("${"));
  });

  it("creates the roles as the provider would: role_type, audiences, split bound_claims, glob, TTLs, policies", async () => {
    const prod = (await vault("GET", "auth/jwt/role/ml-training-ci-prod")).body.data;
    assert.equal(prod.role_type, "jwt");
    assert.deepEqual(prod.bound_audiences, [audience]);
    assert.deepEqual(prod.bound_claims, { environment: "prod", ref: "refs/heads/main", repository: "acme/training", runner_environment: "self-hosted" });
    assert.equal(prod.bound_claims_type, "string");
    assert.equal(prod.token_ttl, 600);
    assert.equal(prod.token_max_ttl, 600);
    assert.deepEqual(prod.token_policies, ["keybridge-ml-training-ci-prod"]);

    const dev = (await vault("GET", "auth/jwt/role/ml-training-ci-dev")).body.data;
    assert.deepEqual(dev.bound_claims.event_name, ["push", "workflow_dispatch"], "a comma-separated value becomes a list");
    assert.equal(dev.bound_claims.ref, "refs/heads/*");
    assert.equal(dev.bound_claims_type, "glob");
    assert.equal(dev.token_ttl, 900);
  });

  it("lets the prod training job log in and read its secret, and nothing of another team", async () => {
    const value = { username: "trainer", password: "s3cret-for-test" };
    assert.equal((await vault("POST", "secret/data/ml-training/prod/database", { body: { data: value } })).status, 200);
    assert.equal((await vault("POST", "secret/data/payments/prod/stripe", { body: { data: { api_key: "sk_test" } } })).status, 200);

    const login = await vault("POST", "auth/jwt/login", { token: "", body: { role: "ml-training-ci-prod", jwt: await githubToken(prodJob) } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const token = login.body.auth.client_token as string;
    assert.deepEqual(login.body.auth.token_policies, ["default", "keybridge-ml-training-ci-prod"]);

    const read = await vault("GET", "secret/data/ml-training/prod/database", { token });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.data.data, value);
    assert.equal((await vault("GET", "secret/data/payments/prod/stripe", { token })).status, 403);

    const wrongBranch = await vault("POST", "auth/jwt/login", {
      token: "",
      body: { role: "ml-training-ci-prod", jwt: await githubToken({ ...prodJob, ref: "refs/heads/feature" }) },
    });
    assert.equal(wrongBranch.status, 400);
  });

  it("keeps the rotation rules as the key's custom metadata", async () => {
    const metadata = await vault("GET", "secret/metadata/ml-training/prod/database");
    assert.equal(metadata.status, 200);
    assert.deepEqual(metadata.body.data.custom_metadata, {
      "keybridge-managed": "true",
      "keybridge-keys": "password,username",
      "keybridge-rotation-max-age": "2592000s",
      "keybridge-rotation-strategy": "manual",
    });
  });

  it("creates the SSO admin group, aliased to the group name on the oidc mount", async () => {
    const auth = (await vault("GET", "sys/auth")).body.data;
    assert.match(auth["oidc/"].accessor, /^auth_oidc_[0-9a-f]{8}$/);
    assert.match(auth["jwt/"].accessor, /^auth_jwt_[0-9a-f]{8}$/);

    const group = await vault("GET", "identity/group/name/keybridge-ml-training-admins");
    assert.equal(group.status, 200);
    assert.equal(group.body.data.type, "external");
    assert.deepEqual(group.body.data.policies, ["keybridge-ml-training-admins"]);
    assert.equal(group.body.data.alias.name, "okta:ml-platform-admins");
    assert.equal(group.body.data.alias.mount_accessor, auth["oidc/"].accessor);
    assert.equal(group.body.data.alias.mount_path, "auth/oidc/");

    const alias = await vault("GET", `identity/group-alias/id/${group.body.data.alias.id}`);
    assert.equal(alias.body.data.canonical_id, group.body.data.id);
    const aliases = await vault("LIST", "identity/group-alias/id");
    assert.equal(aliases.body.data.keys.length, 2);
  });
});
