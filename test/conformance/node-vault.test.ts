// node-vault (npm, not written here) against the dev backend started in-process: JWT login with a
// GitHub token from the emulator, a KV v2 read and list, token self-service, health.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { startTestBackend, type TestBackend } from "../support/dev-backend.ts";
import { configureDemo, demoRole, type DemoSecrets } from "../../testkit/demo-setup.ts";

const require = createRequire(import.meta.url);
const nodeVault = require("node-vault") as (options: Record<string, unknown>) => any;

const job = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
let test: TestBackend;
let secrets: DemoSecrets;

before(async () => {
  test = await startTestBackend();
  secrets = await configureDemo({ addr: test.addr, token: test.rootToken });
});

after(() => test.close());

describe("node-vault 0.12", () => {
  it("logs in with jwtLogin, reads and lists KV v2, looks itself up and revokes itself", async () => {
    const client = nodeVault({ apiVersion: "v1", endpoint: test.addr });
    const login = await client.jwtLogin({ role: demoRole.name, jwt: await test.githubToken(job, demoRole.audience) });
    assert.deepEqual(login.auth.metadata, { role: demoRole.name });
    assert.equal(client.token, login.auth.client_token, "node-vault adopts the token");

    const read = await client.read("secret/data/ml-training/prod/database");
    assert.deepEqual(read.data.data, secrets.database);
    const list = await client.list("secret/metadata/ml-training/prod");
    assert.deepEqual(list.data.keys, ["api", "database"]);

    const self = await client.tokenLookupSelf();
    assert.deepEqual(self.data.policies, ["default", "ml-training-prod-read"]);
    await client.tokenRevokeSelf();
    await assert.rejects(client.tokenLookupSelf(), (error: any) => error.response?.statusCode === 403 && /permission denied/.test(error.message));
  });

  it("reports refusals with Vault's message", async () => {
    const client = nodeVault({ apiVersion: "v1", endpoint: test.addr });
    const jwt = await test.githubToken({ ...job, ref: "refs/heads/feature" }, demoRole.audience);
    await assert.rejects(client.jwtLogin({ role: demoRole.name, jwt }), (error: any) => {
      assert.equal(error.response.statusCode, 400);
      assert.equal(error.message, 'error validating claims: claim "ref" does not match any associated bound claim values');
      return true;
    });
  });

  it("lists accessors, looks a token up and revokes it by accessor, as an operator's script would", async () => {
    const ci = nodeVault({ apiVersion: "v1", endpoint: test.addr });
    const login = await ci.jwtLogin({ role: demoRole.name, jwt: await test.githubToken(job, demoRole.audience) });
    const operator = nodeVault({ apiVersion: "v1", endpoint: test.addr, token: test.rootToken });
    const listed = await operator.tokenAccessors();
    assert.ok(listed.data.keys.includes(login.auth.accessor));
    const found = await operator.tokenLookupAccessor({ accessor: login.auth.accessor });
    assert.deepEqual(found.data.meta, { role: demoRole.name });
    assert.equal(found.data.id, "", "a lookup by accessor never tells the token");
    await operator.tokenRevokeAccessor({ accessor: login.auth.accessor });
    await assert.rejects(ci.tokenLookupSelf(), (error: any) => error.response?.statusCode === 403);
  });

  it("reads health", async () => {
    const health = await nodeVault({ apiVersion: "v1", endpoint: test.addr }).health();
    assert.deepEqual([health.initialized, health.sealed, health.standby], [true, false, false]);
  });
});
