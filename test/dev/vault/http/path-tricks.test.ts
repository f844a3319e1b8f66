// Spellings of a path that try to reach around a policy: dot segments (plain and percent-encoded),
// doubled slashes, encoded slashes, trailing slashes, double encoding. None may return a secret the
// policy does not grant. Requests go out raw (node:http), since fetch would clean the path itself.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
let limited: string;
const adminSecret = "admin-canary-9f2c";
const privateSecret = "private-canary-41d7";

function raw(path: string, token: string): Promise<{ status: number; location: string | undefined; body: string }> {
  const url = new URL(test.addr);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path, method: "GET", headers: { "X-Vault-Token": token } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** Follows redirects the way a client would, and returns the final answer. */
async function follow(path: string, token: string) {
  let reply = await raw(path, token);
  for (let hops = 0; reply.status === 301 && reply.location && hops < 5; hops++) reply = await raw(reply.location, token);
  return reply;
}

before(async () => {
  test = await startTestBackend();
  await expectOk(
    test.vault("PUT", "sys/policies/acl/limited", {
      body: {
        policy: `
path "secret/data/public/*" { capabilities = ["read"] }
path "secret/data/public/private" { capabilities = ["deny"] }
`,
      },
    }),
  );
  limited = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["limited"] } }))).body.auth.client_token;
  await expectOk(test.vault("POST", "secret/data/admin", { body: { data: { value: adminSecret } } }));
  await expectOk(test.vault("POST", "secret/data/public/private", { body: { data: { value: privateSecret } } }));
  await expectOk(test.vault("POST", "secret/data/public/ok", { body: { data: { value: "fine" } } }));
});

after(() => test.close());

describe("path tricks never escape a policy", () => {
  it("grants what the policy grants and denies the rest", async () => {
    assert.equal((await raw("/v1/secret/data/public/ok", limited)).status, 200);
    assert.equal((await raw("/v1/secret/data/admin", limited)).status, 403);
    assert.equal((await raw("/v1/secret/data/public/private", limited)).status, 403);
  });

  const redirects: [string, string][] = [
    ["/v1/secret/data/public/../admin", "/v1/secret/data/admin"],
    ["/v1/secret/data/public/%2e%2e/admin", "/v1/secret/data/admin"],
    ["/v1/secret/data/public/%2E%2E/%2e%2e/data/admin", "/v1/secret/data/admin"],
    ["/v1/secret/data/public//private", "/v1/secret/data/public/private"],
    ["/v1/secret/data/public/./private", "/v1/secret/data/public/private"],
    ["/v1/secret/data/public%2F..%2Fadmin", "/v1/secret/data/admin"],
    ["/v1/sys/../secret/data/admin", "/v1/secret/data/admin"],
  ];
  for (const [trick, clean] of redirects) {
    it(`answers ${trick} with a redirect to ${clean}, never with data`, async () => {
      const reply = await raw(trick, limited);
      assert.equal(reply.status, 301);
      assert.equal(reply.location, clean);
      assert.equal(reply.body, "");
      const followed = await follow(trick, limited);
      assert.equal(followed.status, 403, "the clean path is checked against the policy");
      assert.ok(!followed.body.includes(adminSecret) && !followed.body.includes(privateSecret));
    });
  }

  it("decodes %2F once, into a slash the policy sees", async () => {
    const reply = await raw("/v1/secret/data/public%2Fprivate", limited);
    assert.equal(reply.status, 403);
    assert.ok(!reply.body.includes(privateSecret));
  });

  it("decodes only once: %252e%252e stays a literal segment name", async () => {
    const reply = await raw("/v1/secret/data/public/%252e%252e/admin", limited);
    assert.equal(reply.status, 404, "allowed by public/*, but no such key");
    assert.ok(!reply.body.includes(adminSecret));
  });

  it("treats a trailing slash as another path, not as the denied one", async () => {
    const reply = await raw("/v1/secret/data/public/private/", limited);
    assert.notEqual(reply.status, 200);
    assert.ok(!reply.body.includes(privateSecret));
  });

  it("refuses a malformed percent escape", async () => {
    const reply = await raw("/v1/secret/data/public/%zz", limited);
    assert.equal(reply.status, 400);
  });
});
