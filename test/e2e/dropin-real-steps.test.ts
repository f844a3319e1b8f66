// Steps shaped like real public workflows that use hashicorp/vault-action (dropin-steps/*.yml),
// each run through the committed bundle with only `uses:` changed, against `keybridge dev` loaded
// from Terraform that holds what the steps read. Each must set exactly the environment variables
// and step outputs vault-action v3.4.0 sets for it, print no value, and leave the token to post.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { launchFromTerraform, type TerraformProcess } from "../support/dev-process.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const fixtures = fileURLToPath(new URL("./dropin-steps/vault-action-steps.yml", import.meta.url));
const roleId = "ci-role-id-9e4b";
const secretId = "ci-secret-id-2c6a";

interface Fixture {
  readonly shape: string;
  /** Claims of the job, for steps that log in with the job's OIDC token. */
  readonly job?: Record<string, string>;
  readonly step: { readonly uses: string; readonly with: Record<string, string | boolean> };
  /** "<token>" stands for the Vault token the step logged in with. */
  readonly expect: { readonly env: Record<string, string>; readonly outputs: Record<string, string> };
}

const kv = (mount: string, name: string, data: Record<string, unknown>) => ({ mount, name, data_json: JSON.stringify(data) });
// Without jwtGithubAudience, vault-action v3 asks for GitHub's default audience, https://github.com/OWNER.
const jwtRole = (backend: string, roleName: string, claims: Record<string, string>, audience = "https://github.com/acme") => ({
  backend, role_name: roleName, role_type: "jwt", user_claim: "repository", bound_audiences: [audience], bound_claims: claims, token_policies: ["read-all"],
});
const githubIssuer = "https://token.actions.githubusercontent.com";

const terraform = {
  resource: {
    vault_policy: { read: { name: "read-all", policy: 'path "*" {\n  capabilities = ["read", "list"]\n}\n' } },
    vault_mount: {
      kv: { path: "kv", type: "kv-v2" },
      team: { path: "team", type: "kv-v2" },
      kv1: { path: "kv1", type: "kv", options: { version: "1" } },
    },
    vault_kv_secret_v2: {
      production_db: kv("secret", "production/db", { username: "prod-user", password: "prod-db-pw-71c3" }),
      production_api: kv("secret", "production/api", { key: "prod-api-key-0e5d" }),
      retrigger: kv("secret", "products/infra/ci/retrigger", {
        RETRIGGER_APP_KEY: "-----BEGIN RSA PRIVATE KEY-----\nMIIBfakeKeyLine1\nfakeKeyLine2\n-----END RSA PRIVATE KEY-----", RETRIGGER_APP_ID: 123456,
      }),
      team_ci: { ...kv("team", "ci", { deploy_token: "team-deploy-token-4b1f" }), depends_on: ["vault_mount.team"] },
      skfence: { ...kv("kv", "skstacks/staging/skfence", { cloudflare_dns_token: "cf-token-9a2e" }), depends_on: ["vault_mount.kv"] },
      prod_db: kv("secret", "prod/db", { password: "prod-pw-3d8a" }),
      prod_api: kv("secret", "prod/api", { token: "prod-api-token-55e0" }),
      staging: kv("secret", "staging", { access_token: "staging-access-7f21" }),
      foo_bar: kv("secret", "foo/bar", { fi: "foo-bar-fi-1c0d" }),
      myapp: kv("secret", "myapp/prod", { DB_PASSWORD: "myapp-prod-pw-6b3c" }),
      staging_db: { ...kv("kv", "staging/database", { password: "staging-db-pw-2e9f" }), depends_on: ["vault_mount.kv"] },
      keycloak: { ...kv("kv", "staging/keycloak", { client_secret: "kc-secret-8d14" }), depends_on: ["vault_mount.kv"] },
      database: kv("secret", "database", { username: "db-user", password: "db-pw-0a7b" }),
      api: kv("secret", "api", { key: "api-key-3c5e" }),
      artifactory: kv("secret", "artifactory", { user: "art-user", "api-key": "art-key-71aa" }),
      ci_env: kv("secret", "ci/env", { api_url: "https://api.internal", log_level: "debug" }),
      ci_flags: kv("secret", "ci/flags", { featureFlag: "on" }),
      nested: kv("secret", "app/nested", { config: { host: "db.internal", port: 5432 } }),
      encoded: kv("secret", "encoded/kubeconfig", { value: Buffer.from("apiVersion: v1\nkind: Config\n").toString("base64") }),
    },
    vault_kv_secret: { legacy: { path: "kv1/legacy", data_json: JSON.stringify({ password: "legacy-pw-4f0e" }), depends_on: ["vault_mount.kv1"] } },
    vault_auth_backend: { approle: { type: "approle" } },
    vault_approle_auth_backend_role: { ci: { role_name: "ci", role_id: roleId, token_policies: ["read-all"] } },
    vault_approle_auth_backend_role_secret_id: { ci: { role_name: "${vault_approle_auth_backend_role.ci.role_name}", secret_id: secretId } },
    vault_jwt_auth_backend: {
      jwt: { path: "jwt", oidc_discovery_url: githubIssuer, bound_issuer: githubIssuer },
      gha: { path: "gha", oidc_discovery_url: githubIssuer, bound_issuer: githubIssuer },
      github_actions: { path: "github-actions", oidc_discovery_url: githubIssuer, bound_issuer: githubIssuer },
    },
    vault_jwt_auth_backend_role: {
      ci_main: jwtRole("${vault_jwt_auth_backend.jwt.path}", "ci-main", { repository: "acme/app" }),
      staging_read: jwtRole("${vault_jwt_auth_backend.jwt.path}", "github-staging-read", { repository: "acme/app" }),
      github_actions: jwtRole("${vault_jwt_auth_backend.jwt.path}", "github-actions", { repository: "acme/app" }, "https://vault.example.com"),
      myapp_ci: jwtRole("${vault_jwt_auth_backend.jwt.path}", "myapp-ci", { repository: "acme/app" }),
      github_ci: jwtRole("${vault_jwt_auth_backend.jwt.path}", "github-ci", { repository: "acme/app" }),
      deployer: jwtRole("${vault_jwt_auth_backend.gha.path}", "staging-deployer", { repository: "acme/app", environment: "staging" }),
      reader: jwtRole("${vault_jwt_auth_backend.github_actions.path}", "vault-reader", { repository: "acme/app" }),
    },
  },
};

let dev: TerraformProcess;
let backend: RunningDevBackend;
const jobs: LocalJob[] = [];
const steps = parse(readFileSync(fixtures, "utf8")) as Fixture[];

/** The step's `${{ … }}` expressions, as the repository's secrets and variables would fill them. */
function context(): Record<string, string> {
  const addr = backend.info.vault.addr;
  return {
    "vars.VAULT_ADDR": addr, "secrets.VAULT_ADDR": addr, "secrets.VAULT_URL": addr,
    "secrets.VAULT_ROLE_ID": roleId, "secrets.VAULT_SECRET_ID": secretId, "secrets.VAULT_TOKEN": backend.info.vault.rootToken,
  };
}

/** The runner's view of `with:`: expressions filled, booleans as text; url pointed at the dev backend. */
function inputsOf(fixture: Fixture): Record<string, string> {
  const values = context();
  const inputs = Object.fromEntries(Object.entries(fixture.step.with).map(([name, value]) => [
    name,
    String(value).replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, expression: string) => {
      const filled = values[expression];
      if (filled === undefined) throw new Error(`fixture "${fixture.shape}" uses \${{ ${expression} }}, which the test does not fill`);
      return filled;
    }),
  ]));
  return { ...inputs, url: backend.info.vault.addr };
}

before(async () => {
  dev = await launchFromTerraform(terraform);
  backend = dev.backend;
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  await dev?.close();
});

describe("real vault-action step shapes with only uses: changed", () => {
  it("holds about twenty steps, all written for vault-action", () => {
    assert.ok(steps.length >= 20, `${steps.length} fixtures`);
    for (const fixture of steps) assert.match(fixture.step.uses, /^hashicorp\/vault-action@/);
  });

  for (const fixture of steps) {
    it(fixture.shape, async () => {
      const job = await LocalJob.create();
      jobs.push(job);
      const env = fixture.job ? oidcEnv(await backend.mintJob(fixture.job)) : {};
      const main = await job.runStep(mainScript, { inputs: inputsOf(fixture), env });
      assert.equal(main.exitCode, 0, `the step failed:\n${main.stdout}\n${main.stderr}`);
      const token = [...main.state.values()].find((value) => value.startsWith("hvs.")) ?? backend.info.vault.rootToken;
      const expected = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value === "<token>" ? token : String(value)]));
      assert.deepEqual(Object.fromEntries(job.env), expected(fixture.expect.env), "environment variables");
      assert.deepEqual(Object.fromEntries(main.outputs), expected(fixture.expect.outputs), "step outputs");
      assertNeverPrinted(main, [...Object.values(fixture.expect.env), ...Object.values(fixture.expect.outputs)].filter((value) => value !== "<token>" && String(value).length >= 6).map(String));
    });
  }
});
