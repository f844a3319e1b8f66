// The X-Vault-Namespace attack of issue 16: a CI token whose policy grants secret/data/team-a/*
// sends X-Vault-Namespace: secret/data/team-a with sys/ and auth/token/ requests. The namespace and
// the path resolve once into the path the ACL checks and the router serves, and a namespace must
// exist, so every one of these is refused.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
let ciToken: string;
let readOnlyToken: string;
const header = { "X-Vault-Namespace": "secret/data/team-a" };

before(async () => {
  test = await startTestBackend();
  await expectOk(test.vault("PUT", "sys/policies/acl/ci-team-a", { body: { policy: 'path "secret/data/team-a/*" { capabilities = ["create", "read", "update"] }' } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/reader", { body: { policy: 'path "secret/data/*" { capabilities = ["read"] }' } }));
  await expectOk(test.vault("POST", "secret/data/team-b/db", { body: { data: { password: "team-b-canary" } } }));
  ciToken = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["ci-team-a"], ttl: "10m" } }))).body.auth.client_token;
  readOnlyToken = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["reader"] } }))).body.auth.client_token;
});

after(() => test.close());

describe("X-Vault-Namespace cannot carry a request past the ACL", () => {
  it("fails when a CI token reads its own policy through a path posing as a namespace", async () => {
    const reply = await test.vault("GET", "sys/policies/acl/ci-team-a", { token: ciToken, headers: header });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.errors.length, 1);
    assert.doesNotMatch(reply.body.errors[0], /\n/);
  });

  it("fails when a CI token rewrites its own policy that way, and the policy stays as it was", async () => {
    const reply = await test.vault("PUT", "sys/policies/acl/ci-team-a", {
      token: ciToken,
      headers: header,
      body: { policy: 'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list", "sudo"] }' },
    });
    assert.equal(reply.status, 403);
    const policy = (await expectOk(test.vault("GET", "sys/policies/acl/ci-team-a"))).body.data.policy;
    assert.equal(policy, 'path "secret/data/team-a/*" { capabilities = ["create", "read", "update"] }');
    assert.equal((await test.vault("GET", "secret/data/team-b/db", { token: ciToken })).status, 403);
  });

  it("refuses a 24 h token created through the namespace header", async () => {
    const reply = await test.vault("POST", "auth/token/create", { token: ciToken, headers: header, body: { policies: ["ci-team-a"], ttl: "24h" } });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.auth, undefined);
  });

  it("fails when a read-only token lists or reads sys/policies/acl/* through the header", async () => {
    assert.equal((await test.vault("GET", "sys/policies/acl/ci-team-a", { token: readOnlyToken, headers: header })).status, 403);
    assert.equal((await test.vault("LIST", "sys/policies/acl", { token: readOnlyToken, headers: header })).status, 403);
    assert.equal((await test.vault("GET", "sys/policies/acl/root", { token: readOnlyToken, headers: { "X-Vault-Namespace": "secret/data" } })).status, 403);
  });

  it("refuses identity/ and auth/token/ self-service under a namespace that does not exist", async () => {
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token: ciToken, headers: header })).status, 403);
    assert.equal((await test.vault("LIST", "identity/group/name", { token: ciToken, headers: header })).status, 403);
  });

  it("names the namespace and the fix in one line", async () => {
    const reply = await test.vault("GET", "sys/policies/acl/ci-team-a", { token: ciToken, headers: header });
    assert.deepEqual(reply.body.errors, ['namespace "secret/data/team-a/" does not exist: create it with sys/namespaces/secret/data/team-a or drop X-Vault-Namespace']);
  });
});

describe("namespaces that exist", () => {
  it("keeps policies and audit devices in the root namespace", async () => {
    await expectOk(test.vault("POST", "sys/namespaces/team-a"));
    const reply = await test.vault("PUT", "sys/policies/acl/x", { headers: { "X-Vault-Namespace": "team-a" }, body: { policy: 'path "a" {}' } });
    assert.equal(reply.status, 400);
    assert.match(reply.body.errors[0], /root namespace only/);
    assert.equal((await test.vault("GET", "sys/audit", { headers: { "X-Vault-Namespace": "team-a" } })).status, 400);
  });

  it("checks a root-namespace token on the namespace's path", async () => {
    await expectOk(test.vault("POST", "sys/namespaces/team-c"));
    const reply = await test.vault("POST", "sys/mounts/kv", { token: ciToken, headers: { "X-Vault-Namespace": "team-c" }, body: { type: "kv" } });
    assert.equal(reply.status, 403);
  });

  it("does not find a token of the root namespace from a child namespace", async () => {
    await expectOk(test.vault("POST", "sys/namespaces/team-d"));
    const reply = await test.vault("POST", "auth/token/lookup", { headers: { "X-Vault-Namespace": "team-d" }, body: { token: ciToken } });
    assert.equal(reply.status, 403);
    assert.equal((await test.vault("POST", "auth/token/lookup", { body: { token: ciToken } })).status, 200);
  });

  it("refuses a namespace that overlaps a mount", async () => {
    const reply = await test.vault("POST", "sys/namespaces/secret");
    assert.equal(reply.status, 400);
    assert.match(reply.body.errors[0], /overlaps the mount at secret\//);
  });

  it("lists the namespaces", async () => {
    const keys = (await expectOk(test.vault("LIST", "sys/namespaces"))).body.data.keys;
    assert.ok(keys.includes("team-a/"));
  });
});
