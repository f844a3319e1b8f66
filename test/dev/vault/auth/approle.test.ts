// The AppRole auth method over HTTP, in-process with the test clock: roles and their role ID,
// secret IDs (generated and custom, TTL, use limits, CIDR bounds, lookup and destruction), login
// with Vault's refusals and the token it issues, bind_secret_id = false, and an audit log that
// never shows a secret ID.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
let dir: string;
let auditPath: string;

async function roleId(role: string): Promise<string> {
  return (await expectOk(test.vault("GET", `auth/approle/role/${role}/role-id`))).body.data.role_id;
}

async function secretId(role: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await expectOk(test.vault("POST", `auth/approle/role/${role}/secret-id`, { body }))).body.data.secret_id;
}

function login(body: Record<string, unknown>) {
  return test.vault("POST", "auth/approle/login", { body, headers: { "X-Vault-Token": "" } });
}

async function refused(body: Record<string, unknown>, message: string): Promise<void> {
  const reply = await login(body);
  assert.equal(reply.status, 400, JSON.stringify(reply.body));
  assert.deepEqual(reply.body, { errors: [message] });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-approle-"));
  auditPath = join(dir, "audit.log");
  test = await startTestBackend({ auditLogPath: auditPath });
  await expectOk(test.vault("POST", "sys/auth/approle", { body: { type: "approle" } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/app-read", { body: { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' } }));
  await expectOk(test.vault("POST", "secret/data/app/db", { body: { data: { password: "approle-db-pw-1" } } }));
  await expectOk(test.vault("POST", "auth/approle/role/Trainer", { body: { token_policies: "app-read", token_ttl: "10m", token_max_ttl: "30m" } }));
});

after(async () => {
  await test.close();
  await rm(dir, { recursive: true, force: true });
});

describe("AppRole roles", () => {
  it("stores a role under its lower-cased name, with Vault's defaults, and lists it", async () => {
    const role = (await expectOk(test.vault("GET", "auth/approle/role/trainer"))).body.data;
    assert.equal(role.bind_secret_id, true);
    assert.deepEqual(role.token_policies, ["app-read"]);
    assert.equal(role.token_ttl, 600);
    assert.equal(role.token_max_ttl, 1800);
    assert.equal(role.secret_id_num_uses, 0);
    assert.equal(role.secret_id_ttl, 0);
    assert.deepEqual((await expectOk(test.vault("LIST", "auth/approle/role"))).body.data.keys, ["trainer"]);
  });

  it("gives each role a UUID role ID, which may be set instead but not shared", async () => {
    assert.match(await roleId("trainer"), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await expectOk(test.vault("POST", "auth/approle/role/custom", { body: { role_id: "custom-role-id", token_policies: ["app-read"] } }));
    assert.equal(await roleId("custom"), "custom-role-id");
    await expectOk(test.vault("POST", "auth/approle/role/custom/role-id", { body: { role_id: "renamed-role-id" } }));
    assert.equal(await roleId("custom"), "renamed-role-id");
    const taken = await test.vault("POST", "auth/approle/role/custom/role-id", { body: { role_id: await roleId("trainer") } });
    assert.deepEqual([taken.status, taken.body], [400, { errors: ["role_id already in use"] }]);
  });

  it("refuses what Vault refuses", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ bind_secret_id: false }, "at least one constraint should be enabled on the role"],
      [{ token_ttl: "2h", token_max_ttl: "1h" }, "token_ttl should not be greater than token_max_ttl"],
      [{ secret_id_num_uses: -1 }, "secret_id_num_uses cannot be negative"],
      [{ policies: ["a"], token_policies: ["b"] }, 'cannot specify both "policies" and "token_policies"'],
    ];
    for (const [body, message] of cases) {
      const reply = await test.vault("POST", "auth/approle/role/bad", { body });
      assert.deepEqual([reply.status, reply.body], [400, { errors: [message] }], message);
    }
    const missing = await test.vault("POST", "auth/approle/role/nobody/secret-id", { body: {} });
    assert.deepEqual([missing.status, missing.body], [404, { errors: ['role "nobody" does not exist'] }]);
  });
});

describe("AppRole login", () => {
  it("issues a renewable token with the role's policies plus default, its TTL and the role name as metadata", async () => {
    const issued = await expectOk(test.vault("POST", "auth/approle/role/trainer/secret-id", { body: {} }));
    assert.deepEqual(Object.keys(issued.body.data).sort(), ["secret_id", "secret_id_accessor", "secret_id_num_uses", "secret_id_ttl"]);
    const reply = await expectOk(login({ role_id: await roleId("trainer"), secret_id: issued.body.data.secret_id }));
    const { auth } = reply.body;
    assert.equal(reply.body.mount_type, "approle");
    assert.deepEqual(auth.policies, ["app-read", "default"]);
    assert.deepEqual(auth.metadata, { role_name: "trainer" });
    assert.equal(auth.lease_duration, 600);
    assert.equal(auth.renewable, true);
    const self = (await expectOk(test.vault("GET", "auth/token/lookup-self", { token: auth.client_token }))).body.data;
    assert.equal(self.path, "auth/approle/login");
    assert.equal(self.display_name, "approle");
    const read = await expectOk(test.vault("GET", "secret/data/app/db", { token: auth.client_token }));
    assert.equal(read.body.data.data.password, "approle-db-pw-1");
    test.clock.advance(300);
    const renewed = await expectOk(test.vault("POST", "auth/token/renew-self", { token: auth.client_token, body: { increment: "1h" } }));
    assert.equal(renewed.body.auth.lease_duration, 1500, "30m max TTL minus the 5m lived");
  });

  it("refuses an unknown role ID, a wrong or missing secret ID with Vault's words, and echoes neither", async () => {
    const id = await roleId("trainer");
    await refused({ role_id: "no-such-role-id", secret_id: await secretId("trainer") }, "invalid role or secret ID");
    await refused({ role_id: id, secret_id: "wrong-secret-id-4711" }, "invalid role or secret ID");
    await refused({ role_id: id }, "missing secret_id");
    await refused({ secret_id: "x" }, "missing role_id");
  });

  it("lets a secret ID expire at its TTL", async () => {
    await expectOk(test.vault("POST", "auth/approle/role/short", { body: { token_policies: ["app-read"], secret_id_ttl: "60s" } }));
    const id = await roleId("short");
    const secret = await secretId("short");
    const looked = await expectOk(test.vault("POST", "auth/approle/role/short/secret-id/lookup", { body: { secret_id: secret } }));
    assert.equal(looked.body.data.secret_id_ttl, 60);
    test.clock.advance(59);
    await expectOk(login({ role_id: id, secret_id: secret }));
    test.clock.advance(1);
    await refused({ role_id: id, secret_id: secret }, "invalid role or secret ID");
  });

  it("counts uses: a secret ID with secret_id_num_uses 2 logs in twice", async () => {
    await expectOk(test.vault("POST", "auth/approle/role/twice", { body: { token_policies: ["app-read"], secret_id_num_uses: 2 } }));
    const id = await roleId("twice");
    const secret = await secretId("twice");
    await expectOk(login({ role_id: id, secret_id: secret }));
    const looked = await expectOk(test.vault("POST", "auth/approle/role/twice/secret-id/lookup", { body: { secret_id: secret } }));
    assert.equal(looked.body.data.secret_id_num_uses, 1);
    await expectOk(login({ role_id: id, secret_id: secret }));
    await refused({ role_id: id, secret_id: secret }, "invalid role or secret ID");
  });

  it("lets one secret ID narrow the role's limits, never widen them", async () => {
    const once = await secretId("twice", { num_uses: 1 });
    await expectOk(login({ role_id: await roleId("twice"), secret_id: once }));
    await refused({ role_id: await roleId("twice"), secret_id: once }, "invalid role or secret ID");
    const wider = await test.vault("POST", "auth/approle/role/twice/secret-id", { body: { num_uses: 3 } });
    assert.deepEqual(wider.body, { errors: ["num_uses cannot be higher than the role's secret_id_num_uses"] });
    const longer = await test.vault("POST", "auth/approle/role/short/secret-id", { body: { ttl: "2m" } });
    assert.deepEqual(longer.body, { errors: ["ttl cannot be longer than the role's secret_id_ttl"] });
  });

  it("logs in with the role ID alone when bind_secret_id is false and the caller is inside token_bound_cidrs", async () => {
    await expectOk(
      test.vault("POST", "auth/approle/role/ci-box", { body: { bind_secret_id: false, token_bound_cidrs: ["127.0.0.1/32"], token_policies: ["app-read"] } }),
    );
    const reply = await expectOk(login({ role_id: await roleId("ci-box") }));
    const token = reply.body.auth.client_token;
    assert.deepEqual((await expectOk(test.vault("GET", "auth/token/lookup-self", { token }))).body.data.bound_cidrs, ["127.0.0.1/32"]);
    const noSecretIds = await test.vault("POST", "auth/approle/role/ci-box/secret-id", { body: {} });
    assert.deepEqual(noSecretIds.body, { errors: ["bind_secret_id is not set on the role"] });
  });

  it("issues a token bound to other addresses that is refused from here, and refuses logins outside secret_id_bound_cidrs", async () => {
    await expectOk(
      test.vault("POST", "auth/approle/role/office", { body: { bind_secret_id: false, token_bound_cidrs: ["10.0.0.0/8"], token_policies: ["app-read"] } }),
    );
    const token = (await expectOk(login({ role_id: await roleId("office") }))).body.auth.client_token;
    const used = await test.vault("GET", "auth/token/lookup-self", { token });
    assert.deepEqual([used.status, used.body], [403, { errors: ["permission denied"] }]);

    await expectOk(test.vault("POST", "auth/approle/role/lab", { body: { secret_id_bound_cidrs: ["10.1.0.0/16"], token_policies: ["app-read"] } }));
    await refused({ role_id: await roleId("lab"), secret_id: await secretId("lab") }, 'source address "127.0.0.1" unauthorized by CIDR restrictions on the role');
    const outside = await test.vault("POST", "auth/approle/role/lab/secret-id", { body: { cidr_list: "192.168.0.0/24" } });
    assert.equal(outside.status, 400);
    assert.match(outside.body.errors[0], /^failed to verify subset relationship between CIDR blocks on the role/);
  });

  it("accepts a custom secret ID, carries secret ID metadata into the token, and destroys by secret ID or accessor", async () => {
    const custom = await expectOk(
      test.vault("POST", "auth/approle/role/trainer/custom-secret-id", { body: { secret_id: "my-own-secret-id-77", metadata: '{"host":"gpu-3"}' } }),
    );
    assert.equal(custom.body.data.secret_id, "my-own-secret-id-77");
    const reply = await expectOk(login({ role_id: await roleId("trainer"), secret_id: "my-own-secret-id-77" }));
    assert.deepEqual(reply.body.auth.metadata, { host: "gpu-3", role_name: "trainer" });
    const accessors = (await expectOk(test.vault("LIST", "auth/approle/role/trainer/secret-id"))).body.data.keys;
    assert.ok(accessors.includes(custom.body.data.secret_id_accessor));
    const byAccessor = await expectOk(
      test.vault("POST", "auth/approle/role/trainer/secret-id-accessor/lookup", { body: { secret_id_accessor: custom.body.data.secret_id_accessor } }),
    );
    assert.deepEqual(byAccessor.body.data.metadata, { host: "gpu-3" });
    assert.equal(byAccessor.body.data.secret_id, undefined, "a lookup never shows the secret ID");
    assert.equal((await test.vault("POST", "auth/approle/role/trainer/secret-id/destroy", { body: { secret_id: "my-own-secret-id-77" } })).status, 204);
    await refused({ role_id: await roleId("trainer"), secret_id: "my-own-secret-id-77" }, "invalid role or secret ID");
    const again = await test.vault("POST", "auth/approle/role/trainer/custom-secret-id", { body: { secret_id: await secretId("trainer") } });
    assert.deepEqual([again.status, again.body], [400, { errors: ["SecretID is already registered"] }], "a live secret ID's value cannot be registered twice");
  });

  it("forgets a deleted role's secret IDs", async () => {
    await expectOk(test.vault("POST", "auth/approle/role/gone", { body: { token_policies: ["app-read"] } }));
    const id = await roleId("gone");
    const secret = await secretId("gone");
    assert.equal((await test.vault("DELETE", "auth/approle/role/gone")).status, 204);
    await refused({ role_id: id, secret_id: secret }, "invalid role or secret ID");
  });

  it("revokes the tokens of its logins when the AppRole mount is disabled", async () => {
    await expectOk(test.vault("POST", "sys/auth/machines", { body: { type: "approle" } }));
    await expectOk(test.vault("POST", "auth/machines/role/box", { body: { token_policies: ["app-read"] } }));
    const id = (await expectOk(test.vault("GET", "auth/machines/role/box/role-id"))).body.data.role_id;
    const secret = (await expectOk(test.vault("POST", "auth/machines/role/box/secret-id", { body: {} }))).body.data.secret_id;
    const login = await expectOk(test.vault("POST", "auth/machines/login", { body: { role_id: id, secret_id: secret }, headers: { "X-Vault-Token": "" } }));
    const token = login.body.auth.client_token;
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).body.data.path, "auth/machines/login");
    assert.equal((await test.vault("DELETE", "sys/auth/machines")).status, 204);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
  });

  it("writes secret IDs and tokens to the audit log only as HMACs", async () => {
    const secret = await secretId("trainer");
    const token = (await expectOk(login({ role_id: await roleId("trainer"), secret_id: secret }))).body.auth.client_token;
    const log = await readFile(auditPath, "utf8");
    assert.ok(log.includes('"path":"auth/approle/login"'));
    assert.ok(!log.includes(secret), "a secret ID is in the audit log");
    assert.ok(!log.includes(token), "a token is in the audit log");
    assert.ok(!log.includes("my-own-secret-id-77"));
  });
});
