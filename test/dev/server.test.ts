// The server's edges: bad input never crashes it and gets Vault's status and body; health and
// seal-status; policies over the API; unknown fields; namespaces; the request log.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../support/dev-backend.ts";

let test: TestBackend;
const logLines: string[] = [];

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${test.addr}${path}`, {
    method: "POST",
    headers: { "X-Vault-Token": test.rootToken, "Content-Type": "application/json", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

before(async () => {
  test = await startTestBackend({ verbose: (line) => logLines.push(line) });
});

after(() => test.close());

describe("bad input", () => {
  it("answers malformed JSON with 400 and Vault's prefix, without echoing the body", async () => {
    const reply = await post("/v1/secret/data/x", '{"data": {"password": "hunter2"');
    assert.equal(reply.status, 400);
    assert.match(reply.body.errors[0], /^failed to parse JSON input: /);
    assert.ok(!reply.body.errors[0].includes("hunter2"));
    assert.match((await post("/v1/secret/data/x", "[1,2]")).body.errors[0], /^failed to parse JSON input: /);
  });

  it("answers unknown routes with 404 no handler", async () => {
    const reply = await test.vault("GET", "nothing/mounted/here");
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, { errors: ['no handler for route "nothing/mounted/here". route entry not found.'] });
    const outside = await fetch(`${test.addr}/elsewhere`);
    assert.equal(outside.status, 404);
    assert.deepEqual(await outside.json(), { errors: ['no handler for route "elsewhere". route entry not found.'] });
  });

  it("answers bodies over 4 MiB with 413", async () => {
    const reply = await post("/v1/secret/data/big", JSON.stringify({ data: { blob: "x".repeat(4 * 1024 * 1024) } }));
    assert.equal(reply.status, 413);
    assert.match(reply.body.errors[0], /request body too large/);
    assert.equal((await test.vault("GET", "sys/seal-status")).status, 200, "and keeps serving");
  });

  it("answers an operation a path does not support with 405", async () => {
    const reply = await test.vault("LIST", "secret/data/x");
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.body.errors, ["1 error occurred:\n\t* unsupported operation\n\n"]);
    assert.equal((await test.vault("OPTIONS", "secret/data/x")).status, 405);
  });

  it("warns about fields it ignored, as Vault does", async () => {
    const reply = await test.vault("PUT", "sys/policies/acl/typo", { body: { policy: 'path "a" { capabilities = ["read"] }', polcy: "x" } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.warnings, ["Endpoint ignored these unrecognized parameters: [polcy]"]);
  });
});

describe("sys/health and sys/seal-status", () => {
  it("reports an initialized, unsealed, active server without a token", async () => {
    const response = await fetch(`${test.addr}/v1/sys/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.deepEqual([body.initialized, body.sealed, body.standby], [true, false, false]);
    assert.equal(body.server_time_utc, Math.floor(test.clock.ms / 1000));
    assert.equal(typeof body.version, "string");
  });

  it("answers HEAD with the status only", async () => {
    const response = await fetch(`${test.addr}/v1/sys/health`, { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "");
  });

  it("takes status overrides and refuses codes that are not integers", async () => {
    assert.equal((await fetch(`${test.addr}/v1/sys/health?activecode=299&standbyok=true`)).status, 299);
    const bad = await fetch(`${test.addr}/v1/sys/health?standbycode=abc`);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { errors: [] });
  });

  it("answers seal-status", async () => {
    const body = (await (await fetch(`${test.addr}/v1/sys/seal-status`)).json()) as any;
    assert.deepEqual([body.sealed, body.initialized, body.type], [false, true, "shamir"]);
  });
});

describe("policies over the API", () => {
  it("stores HCL, reads it back on both paths, and lists it", async () => {
    const text = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';
    assert.equal((await test.vault("PUT", "sys/policies/acl/App-Read", { body: { policy: text } })).status, 204);
    assert.deepEqual((await test.vault("GET", "sys/policies/acl/app-read")).body.data, { name: "app-read", policy: text });
    assert.deepEqual((await test.vault("GET", "sys/policy/app-read")).body.data, { name: "app-read", rules: text });
    const keys = (await test.vault("LIST", "sys/policies/acl")).body.data.keys;
    assert.ok(keys.includes("app-read") && keys.includes("default") && keys.includes("root"));
  });

  it("refuses a policy that does not parse, naming the line", async () => {
    const reply = await test.vault("PUT", "sys/policies/acl/broken", { body: { policy: 'path "a" {\n  capabilities = ["raed"]\n}' } });
    assert.deepEqual(reply.body.errors, ['failed to parse policy: line 2: path "a": invalid capability "raed"']);
  });

  it("protects the built-in policies", async () => {
    assert.deepEqual((await test.vault("DELETE", "sys/policies/acl/root")).body.errors, ["cannot delete root policy"]);
    assert.deepEqual((await test.vault("DELETE", "sys/policies/acl/default")).body.errors, ["cannot delete default policy"]);
    assert.deepEqual((await test.vault("PUT", "sys/policy/root", { body: { policy: 'path "a" {}' } })).body.errors, ["cannot update root policy"]);
  });
});

describe("namespaces", () => {
  it("resolves X-Vault-Namespace as a path prefix", async () => {
    const ns = { "X-Vault-Namespace": "team-a/" };
    await expectOk(test.vault("POST", "sys/namespaces/team-a"));
    await expectOk(test.vault("POST", "sys/mounts/kv", { body: { type: "kv", options: { version: "2" } }, headers: ns }));
    await expectOk(test.vault("POST", "kv/data/app", { body: { data: { v: "ns" } }, headers: ns }));
    assert.deepEqual((await test.vault("GET", "team-a/kv/data/app")).body.data.data, { v: "ns" });
    assert.deepEqual((await test.vault("GET", "kv/data/app", { headers: { "X-Vault-Namespace": "team-a" } })).body.data.data, { v: "ns" });
    assert.equal((await test.vault("GET", "kv/data/app")).status, 404, "outside the namespace there is no such mount");
  });
});

describe("request log", () => {
  it("writes one line per request with method, path, status and time, and no token", async () => {
    await test.vault("GET", "secret/data/logged?version=1");
    const line = logLines.find((entry) => entry.startsWith("GET /v1/secret/data/logged "));
    assert.match(line ?? "", /^GET \/v1\/secret\/data\/logged 404 \d+ms$/);
    assert.ok(logLines.every((entry) => !entry.includes(test.rootToken)));
  });
});
