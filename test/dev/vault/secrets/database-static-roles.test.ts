// Static roles of the database engine, in-process with the test clock: static-roles/ write, read,
// list and delete with Vault's checks; static-creds/ with username, password, last_vault_rotation,
// ttl and rotation_period; rotation on the period (lazily, when read) and on demand with
// rotate-role/; and vault_database_secret_backend_static_role applied from Terraform.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startFromTerraform, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;

const creds = async (role = "app") => (await expectOk(test.vault("GET", `database/static-creds/${role}`))).body.data;

before(async () => {
  test = await startTestBackend();
  await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
  await expectOk(test.vault("POST", "database/config/pg", {
    body: { plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@db.internal:5432/app", username: "vault", password: "root-pw", allowed_roles: "app,report" },
  }));
  await expectOk(test.vault("POST", "database/static-roles/app", { body: { db_name: "pg", username: "app_user", rotation_period: "1h" } }));
});

after(() => test.close());

describe("database static roles", () => {
  it("answer static-creds/ with the user, a password Vault set, and the time left", async () => {
    const data = await creds();
    assert.equal(data.username, "app_user");
    assert.match(data.password, /^A1a-[A-Za-z0-9]{20}$/);
    assert.equal(data.rotation_period, 3600);
    assert.equal(data.ttl, 3600);
    assert.equal(data.last_vault_rotation, new Date(test.clock.ms).toISOString());
  });

  it("keep the password within the period and rotate it once the period has passed", async () => {
    const first = await creds();
    test.clock.advance(1800);
    const within = await creds();
    assert.equal(within.password, first.password);
    assert.equal(within.ttl, 1800);
    test.clock.advance(1800);
    const rotated = await creds();
    assert.notEqual(rotated.password, first.password);
    assert.equal(rotated.ttl, 3600);
    assert.equal(rotated.last_vault_rotation, new Date(test.clock.ms).toISOString());
  });

  it("rotate on demand with rotate-role/", async () => {
    const before = await creds();
    await expectOk(test.vault("POST", "database/rotate-role/app"));
    const after = await creds();
    assert.notEqual(after.password, before.password);
    assert.equal(after.username, "app_user");
  });

  it("are listed, read without the password, and deleted", async () => {
    assert.deepEqual((await expectOk(test.vault("LIST", "database/static-roles"))).body.data.keys, ["app"]);
    const role = (await expectOk(test.vault("GET", "database/static-roles/app"))).body.data;
    assert.equal(role.username, "app_user");
    assert.equal(role.rotation_period, 3600);
    assert.equal(role.password, undefined);
    await expectOk(test.vault("POST", "database/static-roles/report", { body: { db_name: "pg", username: "report_user", rotation_period: 60 } }));
    await expectOk(test.vault("DELETE", "database/static-roles/report"));
    assert.equal((await test.vault("GET", "database/static-roles/report")).status, 404);
  });

  it("fail when the period is under 5 s, the username is missing, or the connection does not allow the role", async () => {
    const refused = async (name: string, body: Record<string, unknown>) => {
      const reply = await test.vault("POST", `database/static-roles/${name}`, { body });
      assert.equal(reply.status, 400);
      return reply.body.errors.join("; ");
    };
    assert.match(await refused("report", { db_name: "pg", username: "u", rotation_period: 2 }), /rotation_period must be 5 seconds or more/);
    assert.match(await refused("report", { db_name: "pg", rotation_period: 60 }), /username is a required field/);
    assert.match(await refused("other", { db_name: "pg", username: "u", rotation_period: 60 }), /"other" is not an allowed role/);
    assert.equal((await test.vault("POST", "database/rotate-role/missing")).status, 400);
  });
});

describe("vault_database_secret_backend_static_role from Terraform", () => {
  it("is applied, and its credentials rotate on the period", async () => {
    const tf = await startFromTerraform({
      resource: {
        vault_database_secrets_mount: {
          db: { path: "db", postgresql: [{ name: "pg", connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/app", username: "vault", password: "tf-root-pw", allowed_roles: ["ml-prod-database"] }] },
        },
        vault_database_secret_backend_static_role: {
          ml: { backend: "${vault_database_secrets_mount.db.path}", name: "ml-prod-database", db_name: "pg", username: "ml_app", rotation_period: 86400 },
        },
      },
    }, "static-role.tf.json");
    try {
      const read = async () => (await expectOk(tf.test.vault("GET", "db/static-creds/ml-prod-database"))).body.data;
      const first = await read();
      assert.equal(first.username, "ml_app");
      assert.equal(first.rotation_period, 86400);
      tf.test.clock.advance(86400);
      assert.notEqual((await read()).password, first.password);
    } finally {
      await tf.close();
    }
  });
});
