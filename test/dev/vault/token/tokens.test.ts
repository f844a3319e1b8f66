// Token lifetimes on the injectable clock: TTL expiry, renewal capped by the max TTL, revocation,
// use counts, and the administrative token endpoints.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const audience = "https://github.com/acme";
let test: TestBackend;

async function loginToken(): Promise<string> {
  const jwt = await test.githubToken({ repository: "acme/app" }, audience);
  const reply = await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt }, headers: { "X-Vault-Token": "" } }));
  return reply.body.auth.client_token;
}

before(async () => {
  test = await startTestBackend();
  await configureGithubJwt(test);
  await expectOk(
    test.vault("POST", "auth/jwt/role/ci", {
      body: { role_type: "jwt", user_claim: "repository", bound_audiences: audience, token_ttl: "10m", token_max_ttl: "15m" },
    }),
  );
});

after(() => test.close());

describe("token lifetime", () => {
  it("expires a token at its TTL: then every call is 403 permission denied", async () => {
    const token = await loginToken();
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).body.data.ttl, 600);
    test.clock.advance(599);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 200);
    test.clock.advance(1);
    for (const [method, path] of [["GET", "auth/token/lookup-self"], ["GET", "secret/data/x"], ["POST", "auth/token/renew-self"]] as const) {
      const reply = await test.vault(method, path, { token });
      assert.equal(reply.status, 403, `${method} ${path}`);
      assert.deepEqual(reply.body, { errors: ["permission denied"] });
    }
  });

  it("renews up to the max TTL and no further, saying so in a warning", async () => {
    const token = await loginToken();
    test.clock.advance(300);
    const renewed = await test.vault("POST", "auth/token/renew-self", { token, body: { increment: "1h" } });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.auth.lease_duration, 600, "15m max TTL minus the 5m already lived");
    assert.match(renewed.body.warnings[0], /exceeded the effective max_ttl of "10m0s"; TTL value is capped/);
    const self = await test.vault("GET", "auth/token/lookup-self", { token });
    assert.equal(self.body.data.ttl, 600);
    assert.ok(self.body.data.last_renewal_time > 0);
    test.clock.advance(600);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403, "dead at the max TTL");
  });

  it("renews by the original TTL when no increment is given", async () => {
    const token = await loginToken();
    test.clock.advance(120);
    const renewed = await test.vault("POST", "auth/token/renew-self", { token });
    assert.equal(renewed.body.auth.lease_duration, 600);
    assert.equal(renewed.body.warnings, null);
  });

  it("revokes a token for good with revoke-self (204)", async () => {
    const token = await loginToken();
    const revoked = await test.vault("POST", "auth/token/revoke-self", { token });
    assert.equal(revoked.status, 204);
    assert.equal(revoked.body, undefined);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
  });

  it("never expires the root token", async () => {
    test.clock.advance(400 * 24 * 3600);
    const self = await test.vault("GET", "auth/token/lookup-self");
    assert.equal(self.status, 200);
    assert.deepEqual(self.body.data.policies, ["root"]);
    assert.equal(self.body.data.expire_time, null);
  });
});

describe("presenting a token", () => {
  it("accepts Authorization: Bearer, and prefers X-Vault-Token when both are sent", async () => {
    const token = await loginToken();
    const viaBearer = await fetch(`${test.addr}/v1/auth/token/lookup-self`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(viaBearer.status, 200);
    await viaBearer.arrayBuffer();
    const both = await fetch(`${test.addr}/v1/auth/token/lookup-self`, {
      headers: { "X-Vault-Token": "hvs.unknown", Authorization: `Bearer ${token}` },
    });
    assert.equal(both.status, 403);
    await both.arrayBuffer();
  });

  it("refuses a missing token with 403", async () => {
    const reply = await fetch(`${test.addr}/v1/secret/data/x`);
    assert.equal(reply.status, 403);
    assert.deepEqual(await reply.json(), { errors: ["permission denied"] });
  });
});

describe("auth/token administration", () => {
  it("creates, looks up and revokes tokens with the root token", async () => {
    const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["app"], ttl: "1h", meta: { team: "ml" } } }));
    const token = created.body.auth.client_token;
    assert.deepEqual(created.body.auth.policies, ["app", "default"]);
    assert.equal(created.body.auth.lease_duration, 3600);
    const looked = await expectOk(test.vault("POST", "auth/token/lookup", { body: { token } }));
    assert.deepEqual(looked.body.data.meta, { team: "ml" });
    assert.equal(looked.body.data.path, "auth/token/create");
    assert.equal((await test.vault("POST", "auth/token/revoke", { body: { token } })).status, 204);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
  });

  it("keeps token administration to root or sudo", async () => {
    const token = await loginToken();
    const reply = await test.vault("POST", "auth/token/create", { token, body: { policies: ["default"] } });
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.body.errors, ["1 error occurred:\n\t* permission denied\n\n"]);
  });

  it("revokes a token after its last allowed use", async () => {
    const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["default"], num_uses: 2 } }));
    const token = created.body.auth.client_token;
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 200);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 200);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
  });
});
