// addDatabaseSecret with Rotation.byBackend: synth writes one Vault database static role per
// environment with rotation_period, the policy document says the backend rotates it, and the dev
// backend loads the synthesized file and rotates the password on the period.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TerraformStack } from "../../provider/cdk.ts";
import { Duration, InfisicalBackend, Rotation, SecretsPlatform, VaultBackend } from "../../provider/index.ts";
import { VaultResource } from "../../provider/targets/vault-resources.ts";
import { synthScope, testingApp } from "./support/testing-app.ts";
import { expectOk, startFromTerraform } from "../support/dev-backend.ts";

function declare(stack: TerraformStack) {
  const platform = new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2() });
  const mount = new VaultResource<Record<string, unknown>>(stack, "db", "vault_database_secrets_mount", {
    path: "database",
    postgresql: [{ name: "pg", connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/ml", username: "vault", password: "synth-root-pw", allowed_roles: ["ml-*"] }],
  });
  const ml = platform.addProject("ml", { environments: ["dev", "prod"] });
  ml.addDatabaseSecret("database", { mount: mount.ref("path"), connection: "pg", username: (environment) => `ml_${environment}`, rotation: Rotation.byBackend(Duration.days(1)) });
  return platform;
}

describe("a database secret rotated by the backend", () => {
  const json = synthScope((stack) => void declare(stack));

  it("synthesizes one static role per environment with rotation_period", () => {
    const roles = Object.values(JSON.parse(json).resource.vault_database_secret_backend_static_role) as Record<string, unknown>[];
    assert.deepEqual(roles.map(({ name, db_name, username, rotation_period, backend }) => ({ name, db_name, username, rotation_period, backend: String(backend).replace(/^\$\{.*\.path\}$/, "(the mount's path)") })).sort((a, b) => String(a.name).localeCompare(String(b.name))), [
      { name: "ml-dev-database", db_name: "pg", username: "ml_dev", rotation_period: 86_400, backend: "(the mount's path)" },
      { name: "ml-prod-database", db_name: "pg", username: "ml_prod", rotation_period: 86_400, backend: "(the mount's path)" },
    ]);
    assert.equal(JSON.parse(json).resource.vault_generic_endpoint, undefined, "no KV metadata for a database user");
  });

  it("is in the policy document as rotated by the backend", () => {
    const platform = declare(new TerraformStack(testingApp(), "stack"));
    assert.deepEqual(platform.toPolicyDocument().projects[0]!.secrets, [{ name: "database", keys: ["password", "username"], rotation: { maxAgeSeconds: 86_400, strategy: "backend" } }]);
  });

  it("is loaded by the dev backend, which rotates the password on the period", async () => {
    const tf = await startFromTerraform(JSON.parse(json), "cdk.tf.json");
    try {
      const read = async () => (await expectOk(tf.test.vault("GET", "database/static-creds/ml-prod-database"))).body.data;
      const first = await read();
      assert.equal(first.username, "ml_prod");
      tf.test.clock.advance(86_400);
      assert.notEqual((await read()).password, first.password);
    } finally {
      await tf.close();
    }
  });

  it("fails without Rotation.byBackend, or on a target without backend-rotated users", () => {
    const stack = new TerraformStack(testingApp(), "stack");
    const ml = new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2() }).addProject("ml", { environments: ["prod"] });
    assert.throws(() => ml.addDatabaseSecret("db", { connection: "pg", username: () => "u", rotation: Rotation.every(Duration.days(1)) }), /database secret "db" is rotated by the backend: give rotation: Rotation.byBackend\(period\)/);
    const other = new TerraformStack(testingApp(), "other");
    const infisical = new SecretsPlatform(other, "secrets", { backend: InfisicalBackend.project({ organizationId: "org-1" }) }).addProject("ml", { environments: ["prod"] });
    assert.throws(() => infisical.addDatabaseSecret("db", { connection: "pg", username: () => "u", rotation: Rotation.byBackend(Duration.days(1)) }), /KB_CONSTRUCT_INVALID|no backend-rotated database users/);
  });
});
