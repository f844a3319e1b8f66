// The dev backend keeps ACL decisions and token digests between requests: a policy changed,
// a token revoked or a token expired must still take effect on the very next request.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;

before(async () => {
  test = await startTestBackend();
  await expectOk(test.vault("POST", "secret/data/app", { body: { data: { k: "v" } } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/reader", { body: { policy: 'path "secret/data/app" { capabilities = ["read"] }' } }));
});

after(() => test?.close());

async function readerToken(ttl = "1h"): Promise<string> {
  const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["reader"], ttl } }));
  return created.body.auth.client_token as string;
}

describe("decisions kept between requests", () => {
  it("applies a policy change to the next request of a token that was already allowed", async () => {
    const token = await readerToken();
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 200);
    await expectOk(test.vault("PUT", "sys/policies/acl/reader", { body: { policy: 'path "secret/data/other" { capabilities = ["read"] }' } }));
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 403);
    await expectOk(test.vault("PUT", "sys/policies/acl/reader", { body: { policy: 'path "secret/data/app" { capabilities = ["read"] }' } }));
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 200);
    await expectOk(test.vault("DELETE", "sys/policies/acl/reader"));
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 403);
    await expectOk(test.vault("PUT", "sys/policies/acl/reader", { body: { policy: 'path "secret/data/app" { capabilities = ["read"] }' } }));
  });

  it("refuses a token on the request after its revocation", async () => {
    const token = await readerToken();
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 200);
    await expectOk(test.vault("POST", "auth/token/revoke-self", { token }));
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 403);
  });

  it("refuses a token on the request after it expired", async () => {
    const token = await readerToken("60s");
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 200);
    test.clock.advance(61);
    assert.equal((await test.vault("GET", "secret/data/app", { token })).status, 403);
  });
});
