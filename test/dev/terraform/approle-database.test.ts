// `keybridge dev --terraform` with AppRole and the database engine: vault_approle_auth_backend_role
// (computed role_id, or a set one), vault_approle_auth_backend_role_secret_id (computed, sensitive
// secret_id), data vault_approle_auth_backend_role_id, vault_database_secrets_mount with a
// postgresql block, vault_database_secret_backend_connection with a mysql block on a vault_mount,
// vault_database_secret_backend_role. The file's passwords reach Vault and nothing else; what the
// file declares works end to end (a machine logs in and gets database credentials), written by
// hand or synthesized by the provider's CDKTF classes.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { startDevBackend } from "../../../dev/server.ts";
import { TerraformStack, Testing } from "../../../provider/cdk.ts";
import { AuthBackend } from "@cdktf/provider-vault/lib/auth-backend/index.js";
import { ApproleAuthBackendRole } from "@cdktf/provider-vault/lib/approle-auth-backend-role/index.js";
import { ApproleAuthBackendRoleSecretId } from "@cdktf/provider-vault/lib/approle-auth-backend-role-secret-id/index.js";
import { DatabaseSecretsMount } from "@cdktf/provider-vault/lib/database-secrets-mount/index.js";
import { DatabaseSecretBackendRole } from "@cdktf/provider-vault/lib/database-secret-backend-role/index.js";
import { TerraformError } from "../../../dev/terraform/problems.ts";
import { expectOk, startFromTerraform, startTestBackend, type TerraformTestBackend, type TestBackend } from "../../support/dev-backend.ts";

const pgPassword = "tf-pg-root-pw-61c2";
const mysqlPassword = "tf-mysql-root-pw-0b7e";
const createUser = "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";";

const document = {
  resource: {
    vault_auth_backend: { approle: { type: "approle" } },
    vault_policy: {
      trainer: { name: "trainer", policy: 'path "db/creds/trainer" {\n  capabilities = ["read"]\n}\n' },
    },
    vault_approle_auth_backend_role: {
      trainer: {
        backend: "${vault_auth_backend.approle.path}",
        role_name: "trainer",
        token_policies: ["${vault_policy.trainer.name}"],
        token_ttl: 600,
        token_max_ttl: "3600",
        secret_id_num_uses: 5,
        secret_id_ttl: 3600,
      },
      fixed: { backend: "${vault_auth_backend.approle.path}", role_name: "fixed", role_id: "fixed-role-id", token_policies: ["trainer"] },
    },
    vault_approle_auth_backend_role_secret_id: {
      trainer: {
        backend: "${vault_auth_backend.approle.path}",
        role_name: "${vault_approle_auth_backend_role.trainer.role_name}",
        metadata: JSON.stringify({ host: "gpu-1" }),
        num_uses: 3,
      },
    },
    vault_database_secrets_mount: {
      db: {
        path: "db",
        postgresql: [
          {
            name: "train",
            connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/train",
            username: "vault",
            password: pgPassword,
            allowed_roles: ["trainer"],
            max_connection_lifetime: 60,
            verify_connection: false,
          },
        ],
      },
    },
    vault_mount: { reports: { path: "reports-db", type: "database" } },
    vault_database_secret_backend_connection: {
      reports: {
        backend: "${vault_mount.reports.path}",
        name: "reports",
        allowed_roles: ["reader"],
        verify_connection: false,
        mysql: { connection_url: "{{username}}:{{password}}@tcp(mysql.internal:3306)/", username: "vault", password_wo: mysqlPassword, password_wo_version: 1 },
      },
    },
    vault_database_secret_backend_role: {
      trainer: { backend: "${vault_database_secrets_mount.db.path}", name: "trainer", db_name: "train", creation_statements: [createUser], default_ttl: 3, max_ttl: 60 },
      reader: { backend: "${vault_mount.reports.path}", name: "reader", db_name: "${vault_database_secret_backend_connection.reports.name}", creation_statements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"] },
    },
  },
  data: {
    vault_approle_auth_backend_role_id: { trainer: { backend: "approle", role_name: "${vault_approle_auth_backend_role.trainer.role_name}" } },
  },
  output: {
    role_id: { value: "${vault_approle_auth_backend_role.trainer.role_id}" },
    role_id_read: { value: "${data.vault_approle_auth_backend_role_id.trainer.role_id}" },
    secret_id: { value: "${vault_approle_auth_backend_role_secret_id.trainer.secret_id}", sensitive: true },
    accessor: { value: "${vault_approle_auth_backend_role_secret_id.trainer.accessor}" },
    engines: { value: "${vault_database_secrets_mount.db.engine_count}" },
  },
};

let backend: TerraformTestBackend;
/** The backend's temp directory, where further files of the tests go. */
let dir: string;
let file: string;
let auditPath: string;
let test: TestBackend;

before(async () => {
  backend = await startFromTerraform(document, "machines.tf.json");
  ({ test, file, auditPath } = backend);
  dir = dirname(file);
});

after(() => backend?.close());

describe("AppRole and database resources from Terraform JSON", () => {
  it("answers the computed role_id and accessor, and hides the secret_id", () => {
    const outputs = test.backend.info.outputs!;
    assert.match(String(outputs.role_id), /^[0-9a-f-]{36}$/);
    assert.equal(outputs.role_id_read, outputs.role_id);
    assert.equal(outputs.secret_id, "(sensitive)");
    assert.match(String(outputs.accessor), /^[0-9a-f-]{36}$/);
    assert.equal(outputs.engines, 1);
    assert.equal(test.backend.info.terraform?.applied, 10);
    assert.ok(!JSON.stringify(test.backend.info).includes(String(test.backend.outputValues!.secret_id)), "the secret_id is not on the info line");
  });

  it("lets a machine log in with the file's role and secret ID, and read credentials of the declared role", async () => {
    const values = test.backend.outputValues!;
    const login = await expectOk(
      test.vault("POST", "auth/approle/login", { body: { role_id: values.role_id, secret_id: values.secret_id }, headers: { "X-Vault-Token": "" } }),
    );
    assert.deepEqual(login.body.auth.policies, ["default", "trainer"]);
    assert.deepEqual(login.body.auth.metadata, { host: "gpu-1", role_name: "trainer" });
    assert.equal(login.body.auth.lease_duration, 600);
    const creds = await expectOk(test.vault("GET", "db/creds/trainer", { token: login.body.auth.client_token }));
    assert.match(creds.body.lease_id, /^db\/creds\/trainer\//);
    assert.equal(creds.body.lease_duration, 3);
    assert.match(creds.body.data.username, /^v-trainer-/);
    const looked = await expectOk(
      test.vault("POST", "auth/approle/role/trainer/secret-id/lookup", { body: { secret_id: values.secret_id } }),
    );
    assert.equal(looked.body.data.secret_id_num_uses, 2, "num_uses 3, one used");
    assert.equal((await expectOk(test.vault("GET", "auth/approle/role/fixed/role-id"))).body.data.role_id, "fixed-role-id");
  });

  it("configures both connections with the provider's fields and never answers their passwords", async () => {
    const pg = (await expectOk(test.vault("GET", "db/config/train"))).body.data;
    assert.equal(pg.plugin_name, "postgresql-database-plugin");
    assert.deepEqual(pg.allowed_roles, ["trainer"]);
    assert.equal(pg.verify_connection, false);
    assert.deepEqual(pg.connection_details, {
      connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/train",
      username: "vault",
      max_connection_lifetime: "60s",
    });
    const mysql = (await expectOk(test.vault("GET", "reports-db/config/reports"))).body.data;
    assert.equal(mysql.plugin_name, "mysql-database-plugin");
    assert.deepEqual(Object.keys(mysql.connection_details).sort(), ["connection_url", "username"]);
    const reader = await expectOk(test.vault("GET", "reports-db/creds/reader"));
    assert.equal(reader.body.lease_duration, 768 * 3600, "no default_ttl: the system default");
    const role = (await expectOk(test.vault("GET", "db/roles/trainer"))).body.data;
    assert.deepEqual([role.db_name, role.default_ttl, role.max_ttl, role.creation_statements], ["train", 3, 60, [createUser]]);
  });

  it("keeps the passwords and the secret ID out of the audit log (HMAC only)", async () => {
    const log = await readFile(auditPath, "utf8");
    assert.ok(log.includes('"path":"db/config/train"'));
    for (const value of [pgPassword, mysqlPassword, String(test.backend.outputValues!.secret_id)]) assert.ok(!log.includes(value));
  });
});

describe("refusals of AppRole and database resources", () => {
  async function refusal(doc: unknown): Promise<readonly string[]> {
    const path = join(dir, `refused-${Math.random().toString(36).slice(2)}.tf.json`);
    await writeFile(path, JSON.stringify(doc));
    const error = await startDevBackend({ terraformFile: path }).then(
      async (backend) => {
        await backend.close();
        return assert.fail("applied, but a refusal was expected");
      },
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof TerraformError);
    return error.lines.map((line) => line.slice(path.length + 2));
  }

  it("refuses the secret_id in a plain output", async () => {
    const lines = await refusal({
      resource: {
        vault_auth_backend: { approle: { type: "approle" } },
        vault_approle_auth_backend_role_secret_id: { s: { role_name: "r" } },
      },
      output: { leak: { value: "${vault_approle_auth_backend_role_secret_id.s.secret_id}" } },
    });
    assert.deepEqual(lines, ['output "leak": value refers to vault_approle_auth_backend_role_secret_id.s.secret_id, which is sensitive; add "sensitive": true to the output']);
  });

  it("names a misspelt attribute of an engine block, two engine blocks, and response wrapping", async () => {
    const lines = await refusal({
      resource: {
        vault_database_secrets_mount: { db: { path: "db", postgresql: [{ name: "x", conection_url: "postgresql://h/db" }] } },
        vault_database_secret_backend_connection: {
          c: { backend: "db", name: "c", postgresql: { connection_url: "postgresql://h/db" }, mysql: { connection_url: "u@tcp(h)/" } },
        },
        vault_approle_auth_backend_role_secret_id: { s: { role_name: "r", wrapping_ttl: "60s" } },
      },
    });
    assert.deepEqual(lines, [
      `vault_database_secrets_mount.db: attribute "postgresql[0]" must hold only the provider's postgresql attributes; remove or fix conection_url; fix its value`,
      'vault_database_secret_backend_connection.c: "mysql" and "postgresql" are all set; keep only one of them',
      "vault_approle_auth_backend_role_secret_id.s: attribute \"wrapping_ttl\" is not supported: keybridge dev does not wrap responses; remove it and read secret_id from this resource (a sensitive output)",
    ]);
  });

  it("says which AppRole or connection refusal Vault gave, without the password", async () => {
    const lines = await refusal({
      resource: {
        vault_auth_backend: { approle: { type: "approle" } },
        vault_approle_auth_backend_role: { r: { backend: "${vault_auth_backend.approle.path}", role_name: "r", bind_secret_id: false } },
      },
    });
    assert.deepEqual(lines, ["vault_approle_auth_backend_role.r: Vault answered POST auth/approle/role/r with 400: at least one constraint should be enabled on the role"]);
    const connection = await refusal({
      resource: {
        vault_mount: { db: { path: "db", type: "database" } },
        vault_database_secret_backend_connection: { c: { backend: "${vault_mount.db.path}", name: "c", plugin_name: "db2-database-plugin", postgresql: { password: pgPassword } } },
      },
    });
    assert.equal(connection.length, 1);
    assert.match(connection[0]!, /^vault_database_secret_backend_connection\.c: Vault answered POST db\/config\/c with 400: error creating database object: plugin "db2-database-plugin"/);
    assert.ok(!connection[0]!.includes(pgPassword));
  });
});

describe("the same resources as the provider's CDKTF classes synthesize them", () => {
  it("applies them, and a machine logs in with the synthesized secret ID and reads credentials", async () => {
    // An outdir of this test's own, which after() removes (Testing.app would leave one in the system temp directory).
    const scope = new TerraformStack(Testing.app({ outdir: join(dir, "cdktf.out") }), "stack");
    const approle = new AuthBackend(scope, "approle", { type: "approle" });
    const role = new ApproleAuthBackendRole(scope, "role", { backend: approle.path, roleName: "synth", tokenPolicies: ["synth-db"], tokenTtl: 600 });
    new ApproleAuthBackendRoleSecretId(scope, "secret", { backend: approle.path, roleName: role.roleName, metadata: JSON.stringify({ job: "nightly" }) });
    const db = new DatabaseSecretsMount(scope, "db", {
      path: "synth-db",
      postgresql: [{ name: "pg", connectionUrl: "postgresql://{{username}}:{{password}}@pg:5432/x", username: "vault", password: pgPassword, allowedRoles: ["nightly"] }],
    });
    new DatabaseSecretBackendRole(scope, "nightly", { backend: db.path, name: "nightly", dbName: "pg", creationStatements: [createUser], defaultTtl: 3, maxTtl: 60 });
    const parsed = JSON.parse(Testing.synth(scope));
    parsed.resource.vault_policy = { db: { name: "synth-db", policy: 'path "synth-db/creds/nightly" { capabilities = ["read"] }' } };
    parsed.output = {
      role_id: { value: "${vault_approle_auth_backend_role.role.role_id}" },
      secret_id: { value: "${vault_approle_auth_backend_role_secret_id.secret.secret_id}", sensitive: true },
    };
    const path = join(dir, "synth.tf.json");
    await writeFile(path, JSON.stringify(parsed));
    const synthTest = await startTestBackend({ terraformFile: path });
    try {
      const { role_id, secret_id } = synthTest.backend.outputValues!;
      const login = await expectOk(synthTest.vault("POST", "auth/approle/login", { body: { role_id, secret_id }, headers: { "X-Vault-Token": "" } }));
      assert.deepEqual(login.body.auth.metadata, { job: "nightly", role_name: "synth" });
      const creds = await expectOk(synthTest.vault("GET", "synth-db/creds/nightly", { token: login.body.auth.client_token }));
      assert.equal(creds.body.lease_duration, 3);
      assert.equal(synthTest.backend.info.outputs!.secret_id, "(sensitive)");
    } finally {
      await synthTest.close();
    }
  });
});
