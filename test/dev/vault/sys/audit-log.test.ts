// The audit log records every request and response, and never a secret in plain text: a canary
// value, the root token, a login's JWT and client token may only appear HMAC-ed.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const canary = "canary-7d1e9a-do-not-log";
const audience = "https://github.com/acme";
let test: TestBackend;
let dir: string;
let logPath: string;
let secondPath: string;
let clientToken: string;
let jwt: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-audit-"));
  logPath = join(dir, "audit.log");
  secondPath = join(dir, "second.log");
  test = await startTestBackend({ auditLogPath: logPath });
  await expectOk(test.vault("PUT", "sys/audit/second", { body: { type: "file", options: { file_path: secondPath } } }));
  await configureGithubJwt(test);
  await expectOk(test.vault("PUT", "sys/policies/acl/read-app", { body: { policy: 'path "secret/data/app" { capabilities = ["read"] }' } }));
  await expectOk(
    test.vault("POST", "auth/jwt/role/ci", {
      body: { role_type: "jwt", user_claim: "repository", bound_audiences: audience, bound_claims: { ref: "refs/heads/main" }, token_policies: "read-app" },
    }),
  );
  await expectOk(test.vault("POST", "secret/data/app", { body: { data: { password: canary } } }));
  jwt = await test.githubToken({ repository: "acme/app" }, audience);
  const login = await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt }, headers: { "X-Vault-Token": "" } }));
  clientToken = login.body.auth.client_token;
  await expectOk(test.vault("GET", "secret/data/app", { token: clientToken }));
  const refusedJwt = await test.githubToken({ repository: "acme/app", ref: "refs/heads/dev" }, audience);
  await test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt: refusedJwt }, headers: { "X-Vault-Token": "" } });
});

after(async () => {
  await test.close();
  await rm(dir, { recursive: true, force: true });
});

async function entries(path = logPath): Promise<any[]> {
  return (await readFile(path, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
}

describe("audit log", () => {
  it("never holds a secret value, a token or a JWT in plain text", async () => {
    for (const path of [logPath, secondPath]) {
      const text = await readFile(path, "utf8");
      for (const secret of [canary, test.rootToken, clientToken, jwt]) assert.ok(!text.includes(secret), `${path} leaks a secret`);
    }
  });

  it("writes the value's HMAC instead, the one sys/audit-hash computes", async () => {
    const hash = (await expectOk(test.vault("POST", "sys/audit-hash/file", { body: { input: canary } }))).body.data.hash;
    assert.match(hash, /^hmac-sha256:[0-9a-f]{64}$/);
    const write = (await entries()).find((entry) => entry.type === "request" && entry.request.path === "secret/data/app" && entry.request.operation === "create");
    assert.equal(write.request.data.data.password, hash);
  });

  it("writes a request and a response line per call, like Vault's file device", async () => {
    const read = (await entries()).filter((entry) => entry.request.path === "secret/data/app" && entry.request.operation === "read");
    assert.deepEqual(read.map((entry) => entry.type), ["request", "response"]);
    const [request, response] = read;
    assert.match(request.time, /^\d{4}-\d\d-\d\dT/);
    assert.match(request.auth.client_token, /^hmac-sha256:/);
    assert.match(request.auth.accessor, /^hmac-sha256:/);
    assert.deepEqual(request.auth.policies, ["default", "read-app"]);
    assert.equal(request.request.remote_address, "127.0.0.1");
    assert.match(response.response.data.data.password, /^hmac-sha256:/);
  });

  it("records logins with the issued token HMAC-ed, and refused logins with their error", async () => {
    const logins = (await entries()).filter((entry) => entry.type === "response" && entry.request.path === "auth/jwt/login");
    assert.equal(logins.length, 2);
    assert.match(logins[0].response.auth.client_token, /^hmac-sha256:/);
    assert.match(logins[0].request.data.jwt, /^hmac-sha256:/);
    assert.equal(logins[1].error, 'error validating claims: claim "ref" does not match any associated bound claim values');
  });

  it("creates the log readable by its owner only", async () => {
    assert.equal((await stat(logPath)).mode & 0o777, 0o600);
  });

  it("lists devices and keeps sys/audit root-protected", async () => {
    const devices = (await expectOk(test.vault("GET", "sys/audit"))).body.data;
    assert.deepEqual(Object.keys(devices).sort(), ["file/", "second/"]);
    assert.equal((await test.vault("GET", "sys/audit", { token: clientToken })).status, 403);
  });
});
