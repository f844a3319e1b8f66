// The accessor endpoints an operator uses to find and cut off tokens without holding them:
// LIST auth/token/accessors (root-protected), lookup-accessor (never tells the token) and
// revoke-accessor (the token is refused afterwards).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const audience = "https://github.com/acme";
let test: TestBackend;

async function login(): Promise<{ token: string; accessor: string }> {
  const jwt = await test.githubToken({ repository: "acme/app", ref: "refs/heads/main" }, audience);
  const reply = await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt }, headers: { "X-Vault-Token": "" } }));
  return { token: reply.body.auth.client_token, accessor: reply.body.auth.accessor };
}

before(async () => {
  test = await startTestBackend();
  await configureGithubJwt(test);
  await expectOk(
    test.vault("POST", "auth/jwt/role/ci", {
      body: { role_type: "jwt", user_claim: "repository", bound_audiences: audience, claim_mappings: { ref: "ref" }, token_ttl: "10m" },
    }),
  );
});

after(() => test.close());

describe("token accessors", () => {
  it("lists the accessor of every live token, the root token's included", async () => {
    const { accessor } = await login();
    const listed = await expectOk(test.vault("LIST", "auth/token/accessors"));
    assert.ok(listed.body.data.keys.includes(accessor));
    const rootAccessor = (await expectOk(test.vault("GET", "auth/token/lookup-self"))).body.data.accessor;
    assert.ok(listed.body.data.keys.includes(rootAccessor));
  });

  it("fails when a token without sudo lists accessors: 403, as the path is root-protected", async () => {
    const { token } = await login();
    assert.equal((await test.vault("LIST", "auth/token/accessors", { token })).status, 403);
  });

  it("looks a token up by accessor with the login's metadata, and never tells the token", async () => {
    const { token, accessor } = await login();
    const reply = await expectOk(test.vault("POST", "auth/token/lookup-accessor", { body: { accessor } }));
    assert.equal(reply.body.data.accessor, accessor);
    assert.equal(reply.body.data.id, "");
    assert.deepEqual(reply.body.data.meta, { role: "ci", ref: "refs/heads/main" });
    assert.equal(reply.body.data.display_name, "jwt-acme/app");
    assert.ok(!JSON.stringify(reply.body).includes(token));
  });

  it("revokes by accessor: the token is refused afterwards and its accessor no longer listed", async () => {
    const { token, accessor } = await login();
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 200);
    assert.equal((await test.vault("POST", "auth/token/revoke-accessor", { body: { accessor } })).status, 204);
    assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
    const listed = await expectOk(test.vault("LIST", "auth/token/accessors"));
    assert.ok(!listed.body.data.keys.includes(accessor));
  });

  it("fails with 400 invalid accessor for an accessor that names no live token", async () => {
    for (const path of ["auth/token/lookup-accessor", "auth/token/revoke-accessor"]) {
      const reply = await test.vault("POST", path, { body: { accessor: "nosuchaccessor0000000000" } });
      assert.equal(reply.status, 400, path);
      assert.deepEqual(reply.body, { errors: ["invalid accessor"] });
    }
  });
});
