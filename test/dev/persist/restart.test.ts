// `--data DIR` keeps the Vault side across a restart: everything is written through the API, the
// backend is stopped and started again on the same directory, and everything is read back through
// the API: mounts (same accessors), policies, KV v1 and v2 (versions, deletions, metadata, config),
// JWT config and roles (a fresh GitHub login works), AppRole roles and secret IDs (uses counted),
// tokens (one issued before still works and expires on time, one revoked before stays revoked),
// database connections, roles and leases, identity groups and aliases, and audit devices.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../support/dev-backend.ts";
import { tempData, type TempData } from "../../support/data-dir.ts";

const audience = "https://github.com/acme";
const job = { repository: "acme/app", ref: "refs/heads/main" };

let data: TempData;
let test: TestBackend;
let auditPath: string;

/** What the first start wrote and the tests expect back. */
const before1 = {
  mounts: {} as Record<string, string>,
  auth: {} as Record<string, string>,
  appToken: "",
  revokedToken: "",
  roleId: "",
  secretId: "",
  leaseId: "",
  groupId: "",
  aliasId: "",
  auditHash: "",
  droppedSecretId: "",
};

function start(rootToken: string): Promise<TestBackend> {
  return startTestBackend({ dataDir: data.dir, dataKey: data.key, rootToken });
}

async function accessors(kind: "mounts" | "auth"): Promise<Record<string, string>> {
  const listed = (await expectOk(test.vault("GET", `sys/${kind}`))).body.data as Record<string, { accessor: string }>;
  return Object.fromEntries(Object.entries(listed).filter(([path]) => path !== "token/").map(([path, mount]) => [path, mount.accessor]));
}

async function writeEverything(): Promise<void> {
  await expectOk(test.vault("PUT", "sys/policies/acl/app-read", { body: { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/db-app", { body: { policy: 'path "database/creds/app" { capabilities = ["read"] }' } }));

  await expectOk(test.vault("POST", "sys/mounts/kv1", { body: { type: "kv", description: "flat", options: { version: "1" } } }));
  await expectOk(test.vault("POST", "kv1/team/cfg", { body: { region: "eu", ttl: "1h" } }));
  for (const value of ["v1-pw", "v2-pw", "v3-pw"]) await expectOk(test.vault("POST", "secret/data/app/db", { body: { data: { password: value } } }));
  await expectOk(test.vault("POST", "secret/delete/app/db", { body: { versions: [2] } }));
  await expectOk(test.vault("POST", "secret/metadata/app/db", { body: { custom_metadata: { owner: "ml" }, max_versions: 7 } }));
  await expectOk(test.vault("POST", "secret/config", { body: { max_versions: 5 } }));

  await configureGithubJwt(test);
  await expectOk(test.vault("POST", "auth/jwt/role/app", {
    body: { role_type: "jwt", user_claim: "repository", bound_audiences: [audience], bound_claims: { repository: "acme/app" }, token_policies: ["app-read"], token_ttl: "10m" },
  }));

  await expectOk(test.vault("POST", "sys/auth/approle", { body: { type: "approle" } }));
  await expectOk(test.vault("POST", "auth/approle/role/ci", { body: { token_policies: "app-read", role_id: "ci-role-id" } }));
  before1.roleId = (await expectOk(test.vault("GET", "auth/approle/role/ci/role-id"))).body.data.role_id;
  before1.secretId = (await expectOk(test.vault("POST", "auth/approle/role/ci/secret-id", { body: { num_uses: 3 } }))).body.data.secret_id;
  await expectOk(test.vault("POST", "auth/approle/login", { body: { role_id: before1.roleId, secret_id: before1.secretId }, headers: { "X-Vault-Token": "" } }));

  await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
  await expectOk(test.vault("POST", "database/config/pg", {
    body: { plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@db:5432/app", username: "admin", password: "db-root-pw", allowed_roles: ["app"] },
  }));
  await expectOk(test.vault("POST", "database/roles/app", { body: { db_name: "pg", creation_statements: ["CREATE ROLE x"], default_ttl: "1h", max_ttl: "2h" } }));

  before1.appToken = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["app-read", "db-app"], ttl: "1h" } }))).body.auth.client_token;
  before1.leaseId = (await expectOk(test.vault("GET", "database/creds/app", { token: before1.appToken }))).body.lease_id;
  before1.revokedToken = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["app-read"] } }))).body.auth.client_token;
  await expectOk(test.vault("POST", "auth/token/revoke-self", { token: before1.revokedToken }));

  const group = (await expectOk(test.vault("POST", "identity/group", { body: { name: "admins", type: "external", policies: ["app-read"] } }))).body.data;
  before1.groupId = group.id;
  const jwtAccessor = (await expectOk(test.vault("GET", "sys/auth/jwt"))).body.data.accessor;
  before1.aliasId = (await expectOk(test.vault("POST", "identity/group-alias", { body: { name: "ml-admins", mount_accessor: jwtAccessor, canonical_id: group.id } }))).body.data.id;

  await expectOk(test.vault("PUT", "sys/audit/file2", { body: { type: "file", options: { file_path: auditPath } } }));
  before1.auditHash = (await expectOk(test.vault("POST", "sys/audit-hash/file2", { body: { input: "x" } }))).body.data.hash;

  // Gone before the restart, and gone with everything they held.
  await expectOk(test.vault("POST", "sys/mounts/gone", { body: { type: "kv-v2" } }));
  await expectOk(test.vault("POST", "gone/data/x", { body: { data: { value: "old" } } }));
  await expectOk(test.vault("DELETE", "sys/mounts/gone"));
  await expectOk(test.vault("POST", "auth/approle/role/temp", { body: { token_policies: "app-read" } }));
  before1.droppedSecretId = (await expectOk(test.vault("POST", "auth/approle/role/temp/secret-id"))).body.data.secret_id;
  await expectOk(test.vault("DELETE", "auth/approle/role/temp"));

  before1.mounts = await accessors("mounts");
  before1.auth = await accessors("auth");
}

before(async () => {
  data = await tempData();
  auditPath = join(data.root, "audit.log");
  test = await start("root-a");
  await writeEverything();
  await test.close();
  test = await start("root-a");
});

after(async () => {
  await test.close();
  await data.cleanup();
});

describe("--data: a restart keeps the Vault side", () => {
  it("keeps the mounts and auth methods, with their accessors, types and options", async () => {
    assert.deepEqual(await accessors("mounts"), before1.mounts);
    assert.deepEqual(await accessors("auth"), before1.auth);
    const kv1 = (await expectOk(test.vault("GET", "sys/mounts/kv1"))).body.data;
    assert.deepEqual([kv1.type, kv1.description, kv1.options], ["kv", "flat", { version: "1" }]);
    assert.deepEqual(Object.keys(before1.mounts).sort(), ["database/", "kv1/", "secret/"]);
    assert.deepEqual(Object.keys(before1.auth).sort(), ["approle/", "jwt/"]);
  });

  it("keeps policies, KV v1 entries, and KV v2 versions, deletions, metadata and config", async () => {
    const policy = (await expectOk(test.vault("GET", "sys/policies/acl/app-read"))).body.data.policy;
    assert.equal(policy, 'path "secret/data/app/*" { capabilities = ["read"] }');
    assert.deepEqual((await expectOk(test.vault("GET", "kv1/team/cfg"))).body.data, { region: "eu", ttl: "1h" });

    const latest = (await expectOk(test.vault("GET", "secret/data/app/db"))).body.data;
    assert.deepEqual([latest.data, latest.metadata.version, latest.metadata.custom_metadata], [{ password: "v3-pw" }, 3, { owner: "ml" }]);
    assert.deepEqual((await expectOk(test.vault("GET", "secret/data/app/db?version=1"))).body.data.data, { password: "v1-pw" });
    const deleted = await test.vault("GET", "secret/data/app/db?version=2");
    assert.equal(deleted.status, 404);
    assert.notEqual(deleted.body.data.metadata.deletion_time, "");
    const meta = (await expectOk(test.vault("GET", "secret/metadata/app/db"))).body.data;
    assert.deepEqual([meta.current_version, meta.oldest_version, meta.max_versions, Object.keys(meta.versions)], [3, 0, 7, ["1", "2", "3"]]);
    assert.equal((await expectOk(test.vault("GET", "secret/config"))).body.data.max_versions, 5);
  });

  it("keeps the JWT config and role: a GitHub job logs in after the restart and reads its secret", async () => {
    const config = (await expectOk(test.vault("GET", "auth/jwt/config"))).body.data;
    assert.equal(config.bound_issuer, "https://token.actions.githubusercontent.com");
    const role = (await expectOk(test.vault("GET", "auth/jwt/role/app"))).body.data;
    assert.deepEqual([role.role_type, role.bound_claims, role.token_policies], ["jwt", { repository: "acme/app" }, ["app-read"]]);
    const jwt = await test.githubToken(job, audience);
    const login = await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "app", jwt }, headers: { "X-Vault-Token": "" } }));
    const read = await test.vault("GET", "secret/data/app/db", { token: login.body.auth.client_token });
    assert.equal(read.status, 200);
  });

  it("keeps AppRole roles, their role ID and secret IDs with the uses left", async () => {
    assert.equal((await expectOk(test.vault("GET", "auth/approle/role/ci/role-id"))).body.data.role_id, "ci-role-id");
    const lookup = (await expectOk(test.vault("POST", "auth/approle/role/ci/secret-id/lookup", { body: { secret_id: before1.secretId } }))).body.data;
    assert.equal(lookup.secret_id_num_uses, 2);
    const login = await test.vault("POST", "auth/approle/login", { body: { role_id: before1.roleId, secret_id: before1.secretId }, headers: { "X-Vault-Token": "" } });
    assert.equal(login.status, 200);
  });

  it("keeps database connections (the password still hidden), roles and leases", async () => {
    const pg = (await expectOk(test.vault("GET", "database/config/pg"))).body.data;
    assert.deepEqual(pg.connection_details, { connection_url: "postgresql://{{username}}:{{password}}@db:5432/app", username: "admin" });
    assert.equal((await expectOk(test.vault("GET", "database/roles/app"))).body.data.default_ttl, 3600);
    const lease = (await expectOk(test.vault("PUT", "sys/leases/lookup", { body: { lease_id: before1.leaseId } }))).body.data;
    assert.equal(lease.id, before1.leaseId);
  });

  it("keeps identity groups and their aliases", async () => {
    const group = (await expectOk(test.vault("GET", "identity/group/name/admins"))).body.data;
    assert.deepEqual([group.id, group.type, group.policies, group.alias.id, group.alias.name], [before1.groupId, "external", ["app-read"], before1.aliasId, "ml-admins"]);
    assert.equal(group.alias.mount_path, "auth/jwt/");
  });

  it("keeps audit devices and their salt: the same value has the same HMAC, and new lines go to the file", async () => {
    const devices = (await expectOk(test.vault("GET", "sys/audit"))).body.data;
    assert.deepEqual(Object.keys(devices), ["file2/"]);
    assert.equal((await expectOk(test.vault("POST", "sys/audit-hash/file2", { body: { input: "x" } }))).body.data.hash, before1.auditHash);
    const lines = (await readFile(auditPath, "utf8")).trim().split("\n");
    await expectOk(test.vault("GET", "sys/policies/acl/app-read"));
    assert.ok((await readFile(auditPath, "utf8")).trim().split("\n").length > lines.length);
  });

  it("forgets what was deleted before: a disabled mount's data, a deleted role's secret IDs", async () => {
    await expectOk(test.vault("POST", "sys/mounts/gone", { body: { type: "kv-v2" } }));
    assert.equal((await test.vault("GET", "gone/data/x")).status, 404);
    await expectOk(test.vault("POST", "auth/approle/role/temp", { body: { token_policies: "app-read" } }));
    const lookup = await test.vault("POST", "auth/approle/role/temp/secret-id/lookup", { body: { secret_id: before1.droppedSecretId } });
    assert.equal(lookup.status, 204);
  });

  it("keeps tokens: one issued before works, one revoked before stays revoked", async () => {
    const self = (await expectOk(test.vault("GET", "auth/token/lookup-self", { token: before1.appToken }))).body.data;
    assert.deepEqual(self.policies, ["app-read", "db-app", "default"]);
    assert.equal(self.ttl, 3600);
    assert.equal((await test.vault("GET", "secret/data/app/db", { token: before1.appToken })).status, 200);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token: before1.revokedToken })).status, 403);
  });

  it("keeps a token's expiry: past it, the token and its leases are gone", async () => {
    test.clock.advance(3601);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token: before1.appToken })).status, 403);
    assert.equal((await test.vault("PUT", "sys/leases/lookup", { body: { lease_id: before1.leaseId } })).status, 400);
  });

  it("gives the root token to its start: another --root-token later, and the old one is refused", async () => {
    await test.close();
    test = await start("root-b");
    assert.equal((await test.vault("GET", "sys/mounts", { token: "root-a" })).status, 403);
    assert.equal((await test.vault("GET", "sys/mounts")).status, 200);
    assert.deepEqual((await expectOk(test.vault("GET", "kv1/team/cfg"))).body.data, { region: "eu", ttl: "1h" });
  });
});
