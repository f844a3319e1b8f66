// node-vault (npm, not written here) against the dev backend in-process: approleLogin, a read of
// dynamic database credentials, renew and revoke of their lease, and Vault's refusals as node-vault
// reports them.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { expectOk, startTestBackend, type TestBackend } from "../support/dev-backend.ts";
import { appRole, configureAppRoleLeases } from "../support/approle-leases.ts";

const require = createRequire(import.meta.url);
const nodeVault = require("node-vault") as (options: Record<string, unknown>) => any;

let test: TestBackend;
let roleId: string;

before(async () => {
  test = await startTestBackend();
  ({ roleId } = await configureAppRoleLeases(test));
});

after(() => test.close());

async function secretId(): Promise<string> {
  return (await expectOk(test.vault("POST", `auth/approle/role/${appRole.name}/secret-id`, { body: {} }))).body.data.secret_id;
}

describe("node-vault 0.12 with AppRole and leases", () => {
  it("logs in with approleLogin, reads database credentials, renews and revokes their lease", async () => {
    const client = nodeVault({ apiVersion: "v1", endpoint: test.addr });
    const login = await client.approleLogin({ role_id: roleId, secret_id: await secretId() });
    assert.equal(client.token, login.auth.client_token, "node-vault adopts the token");
    assert.deepEqual(login.auth.policies, ["db-train", "default"]);
    assert.deepEqual(login.auth.metadata, { role_name: appRole.name });

    const creds = await client.read(`database/creds/${appRole.dbRole}`);
    assert.match(creds.lease_id, /^database\/creds\/train\//);
    assert.equal(creds.lease_duration, 60);
    assert.equal(creds.renewable, true);
    assert.match(creds.data.username, /^v-train-/);

    test.clock.advance(30);
    const renewed = await client.renew({ lease_id: creds.lease_id, increment: 120 });
    assert.deepEqual([renewed.lease_id, renewed.lease_duration, renewed.renewable], [creds.lease_id, 120, true]);

    await client.revoke({ lease_id: creds.lease_id }).then(
      () => assert.fail("the default policy does not grant sys/leases/revoke"),
      (error: any) => assert.equal(error.response.statusCode, 403),
    );
    const root = nodeVault({ apiVersion: "v1", endpoint: test.addr, token: test.rootToken });
    await root.revoke({ lease_id: creds.lease_id });
    await assert.rejects(client.renew({ lease_id: creds.lease_id, increment: 60 }), (error: any) => {
      assert.equal(error.response.statusCode, 400);
      assert.equal(error.message, "lease not found");
      return true;
    });
  });

  it("reports a wrong secret ID with Vault's message", async () => {
    const client = nodeVault({ apiVersion: "v1", endpoint: test.addr });
    const tokenBefore = client.token;
    await assert.rejects(client.approleLogin({ role_id: roleId, secret_id: "not-the-secret-id" }), (error: any) => {
      assert.equal(error.response.statusCode, 400);
      assert.equal(error.message, "invalid role or secret ID");
      return true;
    });
    assert.equal(client.token, tokenBefore, "a refused login adopts nothing");
  });
});
