// `--data DIR` with `--terraform FILE`: the file is applied at every start (the Infisical side lives
// in memory and comes from it each time), on top of the Vault state DIR kept. What is already there
// counts as applied, as `terraform apply` with its state would see it: mounts and auth methods of
// the same type, an identity alias of the same name, a custom secret ID; a KV secret that holds the
// same data gets no new version.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectOk, startTestBackend, type TestBackend } from "../../support/dev-backend.ts";
import { tempData, type TempData } from "../../support/data-dir.ts";

const github = "https://token.actions.githubusercontent.com";
const infisicalFile = fileURLToPath(new URL("../../provider/__snapshots__/infisical-ml-training.tf.json", import.meta.url));

const document = {
  resource: {
    vault_auth_backend: { approle: { type: "approle" }, sso: { type: "oidc", path: "sso" } },
    vault_jwt_auth_backend: { github: { path: "jwt", oidc_discovery_url: github, bound_issuer: github } },
    vault_policy: { app: { name: "app", policy: 'path "kv/data/app" { capabilities = ["read"] }' } },
    vault_jwt_auth_backend_role: {
      app: { backend: "${vault_jwt_auth_backend.github.path}", role_name: "app", role_type: "jwt", user_claim: "repository", bound_audiences: ["kb"], token_policies: ["${vault_policy.app.name}"] },
    },
    vault_mount: { kv: { path: "kv", type: "kv-v2" } },
    vault_kv_secret_v2: { app: { mount: "${vault_mount.kv.path}", name: "app", data_json: JSON.stringify({ password: "tf-kv-pw" }) } },
    vault_identity_group: { admins: { name: "admins", type: "external", policies: ["app"] } },
    vault_identity_group_alias: { admins: { name: "ml-admins", mount_accessor: "${vault_auth_backend.sso.accessor}", canonical_id: "${vault_identity_group.admins.id}" } },
    vault_approle_auth_backend_role: { ci: { backend: "${vault_auth_backend.approle.path}", role_name: "ci", role_id: "ci-role", token_policies: ["app"] } },
    vault_approle_auth_backend_role_secret_id: { ci: { backend: "${vault_auth_backend.approle.path}", role_name: "${vault_approle_auth_backend_role.ci.role_name}", secret_id: "tf-custom-secret-id" } },
    vault_database_secrets_mount: { db: { path: "db", postgresql: [{ name: "pg", connection_url: "postgresql://{{username}}:{{password}}@pg:5432/x", username: "vault", password: "tf-pg-pw", allowed_roles: ["*"], verify_connection: false }] } },
  },
  output: { accessor: { value: "${vault_approle_auth_backend_role_secret_id.ci.accessor}" } },
};

let data: TempData;
let file: string;
let test: TestBackend;
let firstOutputs: Readonly<Record<string, unknown>> | undefined;

function start(terraformFile: string): Promise<TestBackend> {
  return startTestBackend({ dataDir: data.dir, dataKey: data.key, terraformFile });
}

before(async () => {
  data = await tempData();
  file = join(data.root, "main.tf.json");
  await writeFile(file, JSON.stringify(document));
  test = await start(file);
  firstOutputs = test.backend.info.outputs;
  await test.close();
  test = await start(file);
});

after(async () => {
  await test.close();
  await data.cleanup();
});

describe("--data with --terraform: the file applied again on the kept state", () => {
  it("applies every resource again, finding the same secret ID", () => {
    assert.equal(test.backend.info.terraform?.applied, Object.values(document.resource).reduce((sum, blocks) => sum + Object.keys(blocks).length, 0));
    assert.deepEqual(test.backend.info.outputs, firstOutputs);
  });

  it("writes no new version of a secret whose data is unchanged, and keeps one alias", async () => {
    assert.equal((await expectOk(test.vault("GET", "kv/metadata/app"))).body.data.current_version, 1);
    assert.equal((await expectOk(test.vault("LIST", "identity/group-alias/id"))).body.data.keys.length, 1);
  });

  it("still logs in with the JWT role and with the custom secret ID", async () => {
    const jwt = await test.githubToken({ repository: "acme/app" }, "kb");
    const login = await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "app", jwt }, headers: { "X-Vault-Token": "" } }));
    assert.equal((await test.vault("GET", "kv/data/app", { token: login.body.auth.client_token })).status, 200);
    const approle = await test.vault("POST", "auth/approle/login", { body: { role_id: "ci-role", secret_id: "tf-custom-secret-id" }, headers: { "X-Vault-Token": "" } });
    assert.equal(approle.status, 200);
  });

  it("configures the Infisical side from its file at each start", async () => {
    for (let round = 0; round < 2; round++) {
      const backend = await startTestBackend({ dataDir: join(data.root, "infisical"), dataKey: data.key, terraformFile: infisicalFile });
      try {
        const outputs = backend.backend.info.outputs as Record<string, Record<string, { identity_id: string }>>;
        const identityId = outputs["ci_identities_ml-training"]!["ci-dev"]!.identity_id;
        const jwt = await backend.githubToken({ repository: "acme/training", ref: "refs/heads/main", event_name: "push" }, "https://github.com/acme");
        const login = await fetch(`${backend.addr}/api/v1/auth/oidc-auth/login`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ identityId, jwt }),
        });
        assert.equal(login.status, 200, `start ${round + 1}: ${await login.text()}`);
      } finally {
        await backend.close();
      }
    }
  });
});
