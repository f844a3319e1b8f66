// `keybridge dev --terraform` with infisical_* resources: the example platform synthesized for
// Infisical in a child process, merged with seeded infisical_secret resources, loaded by
// `keybridge dev` as a separate process, then used only through the Infisical API as CI would:
// the ci-prod identity reads exactly its folders and is refused the rest, a pull_request job is
// refused, revocation ends the token. Then the loader's refusals for infisical_* blocks.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { startDevBackend } from "../../../dev/server.ts";
import { TerraformError } from "../../../dev/terraform/problems.ts";
import { mergeTerraform, readTerraform, seededSecret, synthInfisicalExample, writeTerraform } from "../../../testkit/infisical-seed.ts";

const prodJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted", event_name: "push" };
const values = { USERNAME: "training_app", PASSWORD: "pw-3f9a1c77e2b04d", TOKEN: "kbtok_e04d9b2a51c6f8", SIGNING_KEY: "sk-51c6f8e04d", API_KEY: "wandb-9b2a51c6" };

let dir: string;
let backend: RunningDevBackend;
let identityId: string;

async function githubToken(claims: Record<string, string>): Promise<string> {
  const pair = await backend.mintJob(claims);
  const response = await fetch(pair.requestUrl, { headers: { Authorization: `bearer ${pair.requestToken}` } });
  return ((await response.json()) as { value: string }).value;
}

async function api(method: string, path: string, options: { token?: string; json?: unknown } = {}) {
  const response = await fetch(`${backend.info.infisical!.addr}${path}`, {
    method,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.json ? { "content-type": "application/json" } : {}) },
    body: options.json ? JSON.stringify(options.json) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const listProd = (token: string, secretPath: string) =>
  api("GET", `/api/v3/secrets/raw?workspaceSlug=ml-training&environment=prod&secretPath=${encodeURIComponent(secretPath)}&include_imports=true`, { token });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kb-inf-tf-"));
  const synthesized = await readTerraform(await synthInfisicalExample(dir));
  const prod = (folder: string) => ({ environment: "prod", folder });
  const merged = mergeTerraform(synthesized, {
    resource: {
      infisical_secret: {
        db_username: seededSecret(synthesized, "ml-training", prod("database"), "USERNAME", values.USERNAME, { metadata: { rotated: "2025-01-01" } }),
        db_password: seededSecret(synthesized, "ml-training", prod("database"), "PASSWORD", values.PASSWORD, { writeOnly: true }),
        api_token: seededSecret(synthesized, "ml-training", prod("api"), "TOKEN", values.TOKEN),
        api_signing_key: seededSecret(synthesized, "ml-training", prod("api"), "SIGNING_KEY", values.SIGNING_KEY),
        wandb_key: seededSecret(synthesized, "ml-training", prod("wandb"), "API_KEY", values.API_KEY),
      },
    },
  });
  const file = await writeTerraform(join(dir, "merged.tf.json"), merged);
  backend = await launchDevBackend(["--terraform", file]);
  identityId = (backend.info.outputs?.["ci_identities_ml-training"] as Record<string, { identity_id: string }>)["ci-prod"]!.identity_id;
});

after(async () => {
  if (backend) assert.equal(await backend.stop(), 0);
  await rm(dir, { recursive: true, force: true });
});

describe("the synthesized Infisical platform on keybridge dev", () => {
  it("prints the Infisical address and the resolved outputs on the JSON line", () => {
    assert.equal(backend.info.infisical?.addr, backend.info.vault.addr, "one server: the base URL without /api");
    const output = (backend.info.outputs?.["ci_identities_ml-training"] as Record<string, Record<string, unknown>>)["ci-prod"]!;
    assert.match(identityId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual({ ...output, identity_id: "(id)" }, { environment: "prod", folders: ["/database", "/api"], identity_id: "(id)", project: "ml-training" });
  });

  it("lets the prod job of main log in as ci-prod and read exactly /database and /api of prod", async () => {
    const login = await api("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId, jwt: await githubToken(prodJob) } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.expiresIn, 600, "the grant's 10-minute token TTL");
    const token = login.body.accessToken as string;

    const database = await listProd(token, "/database");
    assert.equal(database.status, 200);
    assert.deepEqual(Object.fromEntries(database.body.secrets.map((secret: any) => [secret.secretKey, secret.secretValue])), { USERNAME: values.USERNAME, PASSWORD: values.PASSWORD });
    assert.deepEqual(database.body.secrets.find((secret: any) => secret.secretKey === "USERNAME").secretMetadata, [{ key: "rotated", value: "2025-01-01" }]);
    assert.deepEqual(database.body.imports, []);
    const apiFolder = await listProd(token, "/api");
    assert.deepEqual(apiFolder.body.secrets.map((secret: any) => secret.secretKey).sort(), ["SIGNING_KEY", "TOKEN"]);

    const wandb = await listProd(token, "/wandb");
    assert.equal(wandb.status, 403);
    assert.equal(wandb.body.error, "PermissionDenied");
    assert.equal((await listProd(token, "/")).status, 403, "not the environment's root either");
    const staging = await api("GET", "/api/v3/secrets/raw?workspaceSlug=ml-training&environment=staging&secretPath=/database", { token });
    assert.equal(staging.status, 403, "not another environment");
    assert.ok(!JSON.stringify(wandb.body).includes(values.API_KEY));

    const revoke = await api("POST", "/api/v1/auth/token/revoke", { json: { accessToken: token } });
    assert.equal(revoke.status, 200);
    const after = await listProd(token, "/database");
    assert.equal(after.status, 401);
    assert.equal(after.body.error, "UnauthorizedError");
  });

  it("refuses a pull_request job with 401: ci-prod binds claims, not a subject", async () => {
    const login = await api("POST", "/api/v1/auth/oidc-auth/login", {
      json: { identityId, jwt: await githubToken({ repository: "acme/training", ref: "refs/pull/7/merge", event_name: "pull_request" }) },
    });
    assert.equal(login.status, 401);
    assert.equal(login.body.error, "UnauthorizedError");
    assert.match(login.body.reqId, /^req-/);
  });

  it("refuses the prod job on a GitHub-hosted runner with 401", async () => {
    const login = await api("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId, jwt: await githubToken({ ...prodJob, runner_environment: "github-hosted" }) } });
    assert.equal(login.status, 401);
    assert.match(login.body.message, /Claim "runner_environment"/);
  });
});

describe("loading infisical_* blocks: refusals and mixed files", () => {
  const project = { name: "p", slug: "p", should_create_default_envs: false };
  const environment = { project_id: "${infisical_project.p.id}", name: "prod", slug: "prod" };

  async function refusal(document: unknown): Promise<string[]> {
    const file = join(dir, `refused-${Math.random().toString(36).slice(2)}.tf.json`);
    await writeFile(file, JSON.stringify(document));
    try {
      const started = await startDevBackend({ terraformFile: file });
      await started.close();
    } catch (error) {
      if (error instanceof TerraformError) return error.lines.map((line) => line.slice(file.length + 2));
      throw error;
    }
    throw new Error("the file was applied");
  }

  it("lists unsupported infisical types in the same one line, pointing at a real Infisical", async () => {
    assert.deepEqual(await refusal({ resource: { infisical_app_connection_aws: { x: { name: "x" } }, infisical_project: { p: project } } }), [
      "cannot apply 1 resource: infisical_app_connection_aws.x (type not supported); remove it or apply it to a real Infisical",
    ]);
  });

  it("names unknown attributes against the infisical provider's docs, and both value and value_wo", async () => {
    const lines = await refusal({
      resource: {
        infisical_project: { p: { ...project, colour: "red" } },
        infisical_project_environment: { prod: environment },
        infisical_secret: { s: { workspace_id: "${infisical_project.p.id}", env_slug: "prod", folder_path: "/", name: "K", value: "a", value_wo: "b" } },
      },
    });
    assert.ok(lines.includes('infisical_project.p: unknown attribute "colour" for infisical_project; remove it or check its spelling against the infisical provider\'s docs'), lines.join("\n"));
    assert.ok(lines.includes('infisical_secret.s: both "value" or "value_wo" are set; keep only one'), lines.join("\n"));
  });

  it("refuses a role condition it cannot honour, naming the operator", async () => {
    const lines = await refusal({
      resource: {
        infisical_project: { p: project },
        infisical_project_role: {
          r: { project_id: "${infisical_project.p.id}", name: "r", slug: "r", permissions_v2: [{ subject: "secrets", action: ["readValue"], conditions: '{"secretPath":{"$regex":"/a.*"}}' }] },
        },
      },
    });
    assert.deepEqual(lines, ['infisical_project_role.r: permissions_v2[0].conditions: unknown operator "$regex" on "secretPath"; use $eq, $ne, $in or $glob']);
  });

  it("refuses a secret in a folder that does not exist, and a membership with an unknown role", async () => {
    const secretLines = await refusal({
      resource: {
        infisical_project: { p: project },
        infisical_project_environment: { prod: environment },
        infisical_secret: { s: { workspace_id: "${infisical_project.p.id}", env_slug: "${infisical_project_environment.prod.slug}", folder_path: "/nope", name: "K", value: "v" } },
      },
    });
    assert.deepEqual(secretLines, ["infisical_secret.s: folder /nope does not exist in prod; declare an infisical_secret_folder for it"]);
    const roleLines = await refusal({
      resource: {
        infisical_project: { p: project },
        infisical_identity: { i: { name: "i", org_id: "o", role: "no-access" } },
        infisical_project_identity: { m: { project_id: "${infisical_project.p.id}", identity_id: "${infisical_identity.i.id}", roles: [{ role_slug: "reader" }] } },
      },
    });
    assert.match(roleLines[0]!, /^infisical_project_identity\.m: role "reader" is neither built in \(admin, member, viewer, no-access\) nor a role of project p/);
  });

  it("refuses a plain output of a client secret: it is sensitive", async () => {
    const lines = await refusal({
      resource: {
        infisical_identity: { i: { name: "i", org_id: "o", role: "no-access" } },
        infisical_identity_universal_auth: { i: { identity_id: "${infisical_identity.i.id}" } },
        infisical_identity_universal_auth_client_secret: { i: { identity_id: "${infisical_identity.i.id}", depends_on: ["infisical_identity_universal_auth.i"] } },
      },
      output: { secret: { value: "${infisical_identity_universal_auth_client_secret.i.client_secret}" } },
    });
    assert.deepEqual(lines, ['output "secret": value refers to infisical_identity_universal_auth_client_secret.i.client_secret, which is sensitive; add "sensitive": true to the output']);
  });

  it("applies vault_* and infisical_* resources of one file", async () => {
    const file = join(dir, "mixed.tf.json");
    await writeFile(file, JSON.stringify({
      provider: { vault: [{}], infisical: [{ host: "https://infisical.example" }] },
      resource: {
        vault_policy: { ci: { name: "ci", policy: 'path "secret/data/ci" { capabilities = ["read"] }' } },
        infisical_project: { p: project },
        infisical_project_environment: { prod: environment },
      },
      output: { project_id: { value: "${infisical_project.p.id}" }, policy: { value: "${vault_policy.ci.name}" } },
    }));
    const started = await startDevBackend({ terraformFile: file });
    try {
      assert.equal(started.info.terraform?.applied, 3);
      assert.equal(started.info.outputs?.policy, "ci");
      assert.match(String(started.info.outputs?.project_id), /^[0-9a-f-]{36}$/);
    } finally {
      await started.close();
    }
  });
});
