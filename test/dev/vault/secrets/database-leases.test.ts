// The database secrets engine (credentials fabricated in memory) and the leases of its
// credentials, in-process with the test clock: connection config (write-only password), roles,
// creds under a lease, renewal within and past max_ttl, lookup, revoke, revocation with the token
// and at expiry, sys/leases with Vault's ACL, and an audit log that never shows a credential.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const rootPassword = "db-root-pw-9d41c";
let test: TestBackend;
let dir: string;
let auditPath: string;

/** A token whose only own policy reads database/creds/app (plus default). */
async function appToken(ttl = "1h"): Promise<string> {
  const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["db-app"], ttl } }));
  return created.body.auth.client_token;
}

async function creds(token: string, role = "app") {
  return expectOk(test.vault("GET", `database/creds/${role}`, { token }));
}

function lookup(leaseId: string, token?: string) {
  return test.vault("PUT", "sys/leases/lookup", { body: { lease_id: leaseId }, ...(token ? { token } : {}) });
}

async function assertGone(leaseId: string): Promise<void> {
  const reply = await lookup(leaseId);
  assert.deepEqual([reply.status, reply.body], [400, { errors: ["invalid lease"] }], `lease ${leaseId} should be gone`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-db-"));
  auditPath = join(dir, "audit.log");
  test = await startTestBackend({ auditLogPath: auditPath });
  await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
  await expectOk(
    test.vault("POST", "database/config/pg", {
      body: {
        plugin_name: "postgresql-database-plugin",
        connection_url: "postgresql://{{username}}:{{password}}@db.internal:5432/train",
        username: "vault-admin",
        password: rootPassword,
        allowed_roles: "app,batch-*",
      },
    }),
  );
  const statements = ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';'];
  await expectOk(test.vault("POST", "database/roles/app", { body: { db_name: "pg", creation_statements: statements, default_ttl: "1m", max_ttl: "5m" } }));
  await expectOk(test.vault("POST", "database/roles/batch-nightly", { body: { db_name: "pg", creation_statements: statements[0], default_ttl: 30 } }));
  await expectOk(test.vault("POST", "database/roles/other", { body: { db_name: "pg", creation_statements: statements } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/db-app", { body: { policy: 'path "database/creds/app" { capabilities = ["read"] }' } }));
});

after(async () => {
  await test.close();
  await rm(dir, { recursive: true, force: true });
});

describe("database connections and roles", () => {
  it("never answers the root password, and redacts one written into connection_url", async () => {
    const read = (await expectOk(test.vault("GET", "database/config/pg"))).body.data;
    assert.equal(read.plugin_name, "postgresql-database-plugin");
    assert.deepEqual(read.allowed_roles, ["app", "batch-*"]);
    assert.deepEqual(read.connection_details, { connection_url: "postgresql://{{username}}:{{password}}@db.internal:5432/train", username: "vault-admin" });
    const inline = await expectOk(
      test.vault("POST", "database/config/inline", { body: { plugin_name: "mysql-database-plugin", connection_url: `root:x@tcp(db:3306)/`, allowed_roles: ["*"] } }),
    );
    assert.equal(inline.status, 204);
    const withUrl = await expectOk(
      test.vault("POST", "database/config/url", { body: { plugin_name: "postgresql-database-plugin", connection_url: `postgresql://admin:${rootPassword}@db:5432/x` } }),
    );
    assert.deepEqual(withUrl.body.warnings, ["Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information."]);
    const urlRead = (await expectOk(test.vault("GET", "database/config/url"))).body.data;
    assert.equal(urlRead.connection_details.connection_url, "postgresql://admin:xxxxx@db:5432/x");
    assert.deepEqual((await expectOk(test.vault("LIST", "database/config"))).body.data.keys, ["inline", "pg", "url"]);
  });

  it("refuses a connection without a known plugin and a role without a database", async () => {
    const noPlugin = await test.vault("POST", "database/config/x", { body: { connection_url: "postgresql://h/db" } });
    assert.deepEqual([noPlugin.status, noPlugin.body], [400, { errors: ["empty plugin name"] }]);
    const unknown = await test.vault("POST", "database/config/x", { body: { plugin_name: "db2-database-plugin" } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.errors[0], /^error creating database object: plugin "db2-database-plugin" is not a built-in database plugin/);
    const noDb = await test.vault("POST", "database/roles/x", { body: { creation_statements: ["x"] } });
    assert.deepEqual([noDb.status, noDb.body], [400, { errors: ["database name is required"] }]);
  });

  it("reads a role back with its statements whole (commas and all) and its TTLs in seconds", async () => {
    const role = (await expectOk(test.vault("GET", "database/roles/batch-nightly"))).body.data;
    assert.equal(role.creation_statements.length, 1);
    assert.equal(role.default_ttl, 30);
    assert.equal(role.max_ttl, 0);
    assert.equal(role.credential_type, "password");
    assert.deepEqual((await expectOk(test.vault("LIST", "database/roles"))).body.data.keys, ["app", "batch-nightly", "other"]);
  });
});

describe("dynamic credentials", () => {
  it("fabricates a user v-<role>-<random> and a password under a renewable lease of the role's default TTL", async () => {
    const reply = await creds(await appToken());
    assert.match(reply.body.lease_id, /^database\/creds\/app\/[A-Za-z0-9]{24}$/);
    assert.equal(reply.body.lease_duration, 60);
    assert.equal(reply.body.renewable, true);
    assert.match(reply.body.data.username, /^v-app-[A-Za-z0-9]{20}$/);
    assert.match(reply.body.data.password, /^A1a-[A-Za-z0-9]{20}$/);
    const second = await creds(await appToken());
    assert.notEqual(second.body.data.password, reply.body.data.password);
  });

  it("answers Vault's errors for an unknown role, a role the connection does not allow, and a denied path", async () => {
    const unknown = await test.vault("GET", "database/creds/nope");
    assert.deepEqual([unknown.status, unknown.body], [400, { errors: ["unknown role: nope"] }]);
    const notAllowed = await test.vault("GET", "database/creds/other");
    assert.deepEqual([notAllowed.status, notAllowed.body], [500, { errors: ['"other" is not an allowed role'] }]);
    await expectOk(test.vault("GET", "database/creds/batch-nightly"));
    const denied = await test.vault("GET", "database/creds/batch-nightly", { token: await appToken() });
    assert.deepEqual([denied.status, denied.body], [403, { errors: ["1 error occurred:\n\t* permission denied\n\n"] }]);
  });
});

describe("leases", () => {
  it("renews within max_ttl by the increment asked, with the default policy", async () => {
    const token = await appToken();
    const leaseId = (await creds(token)).body.lease_id;
    test.clock.advance(40);
    const renewed = await expectOk(test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId, increment: 60 } }));
    assert.deepEqual([renewed.body.lease_id, renewed.body.lease_duration, renewed.body.renewable, renewed.body.warnings], [leaseId, 60, true, null]);
    const looked = (await expectOk(lookup(leaseId, token))).body.data;
    assert.equal(looked.id, leaseId);
    assert.equal(looked.ttl, 60);
    assert.equal(looked.renewable, true);
    assert.equal(looked.issue_time, new Date(test.clock.ms - 40_000).toISOString());
    assert.equal(looked.last_renewal, new Date(test.clock.ms).toISOString());
    assert.equal(looked.expire_time, new Date(test.clock.ms + 60_000).toISOString());
    test.clock.advance(30);
    const byDefault = await expectOk(test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId } }));
    assert.equal(byDefault.body.lease_duration, 60, "no increment: the role's default TTL");
  });

  it("caps a renewal past max_ttl at what is left, with Vault's warning, and then lets the lease end", async () => {
    const token = await appToken();
    const leaseId = (await creds(token)).body.lease_id;
    test.clock.advance(50);
    await expectOk(test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId, increment: "2m" } }));
    test.clock.advance(100);
    await expectOk(test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId, increment: "2m" } }));
    test.clock.advance(100);
    const capped = await expectOk(test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId, increment: "1h" } }));
    assert.equal(capped.body.lease_duration, 50, "5m max TTL minus the 4m10s lived");
    assert.deepEqual(capped.body.warnings, ['TTL of "1h0m0s" exceeded the effective max_ttl of "50s"; TTL value is capped accordingly']);
    test.clock.advance(50);
    const late = await test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId } });
    assert.deepEqual([late.status, late.body], [400, { errors: ["lease not found"] }]);
    await assertGone(leaseId);
  });

  it("expires a lease at its TTL on the clock", async () => {
    const leaseId = (await creds(await appToken())).body.lease_id;
    test.clock.advance(59);
    await expectOk(lookup(leaseId));
    test.clock.advance(1);
    await assertGone(leaseId);
  });

  it("revokes a lease (204, again 204), after which lookup and renew refuse it", async () => {
    const token = await appToken();
    const leaseId = (await creds(token)).body.lease_id;
    assert.equal((await test.vault("PUT", "sys/leases/revoke", { body: { lease_id: leaseId } })).status, 204);
    assert.equal((await test.vault("PUT", "sys/leases/revoke", { body: { lease_id: leaseId } })).status, 204);
    await assertGone(leaseId);
    const renew = await test.vault("PUT", "sys/leases/renew", { token, body: { lease_id: leaseId } });
    assert.deepEqual([renew.status, renew.body], [400, { errors: ["lease not found"] }]);
    const missing = await test.vault("PUT", "sys/leases/renew", { token, body: {} });
    assert.deepEqual(missing.body, { errors: ["lease_id must be specified"] });
  });

  it("revokes a token's leases with the token (revoke-self), and at the token's expiry", async () => {
    const token = await appToken();
    const first = (await creds(token)).body.lease_id;
    const second = (await creds(token)).body.lease_id;
    const other = (await creds(await appToken())).body.lease_id;
    assert.equal((await test.vault("POST", "auth/token/revoke-self", { token })).status, 204);
    await assertGone(first);
    await assertGone(second);
    await expectOk(lookup(other));

    const shortLived = await appToken("30s");
    const leaseId = (await creds(shortLived)).body.lease_id;
    test.clock.advance(30);
    await assertGone(leaseId);
  });

  it("drops expired leases without being asked about them, as a list shows", async () => {
    const token = await appToken("10s");
    const leaseId = (await creds(token)).body.lease_id;
    const listed = (await expectOk(test.vault("LIST", "sys/leases/lookup/database/creds/app/"))).body.data.keys;
    assert.ok(listed.includes(leaseId.split("/").pop()));
    test.clock.advance(10);
    const after = await test.vault("LIST", "sys/leases/lookup/database/creds/app/");
    assert.ok(after.status === 404 || !after.body.data.keys.includes(leaseId.split("/").pop()));
  });

  it("keeps listing, revoking others' leases and revoke-prefix to the policies that grant them", async () => {
    const token = await appToken();
    const leaseId = (await creds(token)).body.lease_id;
    const cases: [string, string, Record<string, unknown> | undefined][] = [
      ["PUT", "sys/leases/revoke", { lease_id: leaseId }],
      ["PUT", "sys/leases/revoke-prefix/database/creds/app", {}],
      ["LIST", "sys/leases/lookup/database/creds/", undefined],
    ];
    for (const [method, path, body] of cases) {
      const reply = await test.vault(method, path, { token, body });
      assert.deepEqual([reply.status, reply.body], [403, { errors: ["1 error occurred:\n\t* permission denied\n\n"] }], path);
    }
    await expectOk(lookup(leaseId, token));
    await expectOk(test.vault("PUT", "sys/policies/acl/lease-admin", { body: { policy: 'path "sys/leases/revoke-prefix/*" { capabilities = ["update"] }' } }));
    const admin = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["lease-admin"] } }))).body.auth.client_token;
    const noSudo = await test.vault("PUT", "sys/leases/revoke-prefix/database/creds/app", { token: admin, body: {} });
    assert.equal(noSudo.status, 403, "revoke-prefix is root-protected: update is not enough without sudo");
  });

  it("revokes every lease under a prefix with revoke-prefix (root), and the logins under an auth path", async () => {
    const a = (await creds(await appToken())).body.lease_id;
    const b = (await expectOk(test.vault("GET", "database/creds/batch-nightly"))).body.lease_id;
    assert.equal((await test.vault("PUT", "sys/leases/revoke-prefix/database/creds/app", {})).status, 204);
    await assertGone(a);
    await expectOk(lookup(b));
    const token = await appToken();
    assert.equal((await test.vault("PUT", "sys/leases/revoke-prefix/auth/token/create", {})).status, 204);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
    assert.equal((await test.vault("GET", "auth/token/lookup-self")).status, 200, "the root token stays");
  });

  it("revokes a mount's leases when the mount is disabled", async () => {
    await expectOk(test.vault("POST", "sys/mounts/scratch-db", { body: { type: "database" } }));
    await expectOk(test.vault("POST", "scratch-db/config/pg", { body: { plugin_name: "postgresql-database-plugin", allowed_roles: "*" } }));
    await expectOk(test.vault("POST", "scratch-db/roles/tmp", { body: { db_name: "pg", creation_statements: "CREATE ROLE x;" } }));
    const leaseId = (await expectOk(test.vault("GET", "scratch-db/creds/tmp"))).body.lease_id;
    const kept = (await creds(await appToken())).body.lease_id;
    assert.equal((await test.vault("DELETE", "sys/mounts/scratch-db")).status, 204);
    await assertGone(leaseId);
    await expectOk(lookup(kept));
  });

  it("never writes a credential, the root password or a token in plain text to the audit log", async () => {
    const token = await appToken();
    const reply = await creds(token);
    const log = await readFile(auditPath, "utf8");
    assert.ok(log.includes('"path":"database/creds/app"'));
    for (const value of [reply.body.data.password, reply.body.data.username, rootPassword, token]) assert.ok(!log.includes(value), "a secret is in the audit log");
  });
});
