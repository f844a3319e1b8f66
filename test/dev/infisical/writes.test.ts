// Secret writes over HTTP, in-process: POST creates a key at version 1, PATCH writes the next
// version and keeps the one it replaces (the single GET with `version` returns it), both only
// where the identity's project role grants create or edit, refused otherwise in Infisical's
// PermissionDenied shape; a taken name, a missing secret or folder answer as Infisical does.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ciIdentity, startInfisicalBackend, type ApiReply, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../../support/infisical-shop.ts";

const read = ["describeSecret", "readValue"];
const inOther = { environment: { $eq: "prod" }, secretPath: { $eq: "/other" } };

let backend: InfisicalTestBackend;
const tokens: Record<string, string> = {};

before(async () => {
  backend = await startInfisicalBackend(shopDocument([
    ciIdentity("writer", "shop", shopAuth, [{ action: [...read, "create", "edit"], conditions: inOther }]),
    ciIdentity("editor", "shop", shopAuth, [{ action: [...read, "edit"], conditions: inOther }]),
    ciIdentity("reader", "shop", shopAuth, [{ action: read }]),
  ]), { infisicalRateLimit: 0 });
  for (const name of ["writer", "editor", "reader"]) tokens[name] = await backend.tokenFor(backend.outputs[name], shopClaims);
});

after(() => backend?.close());

function write(who: string, method: "POST" | "PATCH", name: string, value: string, secretPath = "/other"): Promise<ApiReply> {
  return backend.call(method, `/api/v3/secrets/raw/${name}`, { token: tokens[who], json: { workspaceSlug: "shop", environment: "prod", secretPath, secretValue: value } });
}

function readSecret(name: string, version?: number): Promise<ApiReply> {
  const query: Record<string, string> = { workspaceSlug: "shop", environment: "prod", secretPath: "/other", ...(version === undefined ? {} : { version: String(version) }) };
  return backend.call("GET", `/api/v3/secrets/raw/${name}`, { token: tokens.writer, query });
}

describe("writing secrets", () => {
  it("creates a key at version 1 and answers it in Infisical's shape", async () => {
    const reply = await write("writer", "POST", "TOKEN", "first-4d1a");
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.secret.secretKey, "TOKEN");
    assert.equal(reply.body.secret.version, 1);
    assert.equal(reply.body.secret.workspace, backend.outputs.project_id);
    assert.equal(reply.body.secret.type, "shared");
  });

  it("updates to the next version and keeps the one it replaced", async () => {
    const reply = await write("editor", "PATCH", "TOKEN", "second-9b2c");
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.secret.version, 2);
    assert.equal((await readSecret("TOKEN")).body.secret.secretValue, "second-9b2c");
    const first = await readSecret("TOKEN", 1);
    assert.equal(first.status, 200);
    assert.equal(first.body.secret.secretValue, "first-4d1a");
    assert.equal(first.body.secret.version, 1);
    const missing = await readSecret("TOKEN", 3);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, "NotFound");
  });

  it("refuses a create the role does not grant with PermissionDenied (403)", async () => {
    const reply = await write("editor", "POST", "NEW_KEY", "nope-1");
    assert.equal(reply.status, 403);
    assert.deepEqual(Object.keys(reply.body).sort(), ["error", "message", "reqId", "statusCode"]);
    assert.equal(reply.body.error, "PermissionDenied");
    assert.equal(reply.body.statusCode, 403);
    assert.match(reply.body.message, /not allowed to create on secrets \(environment 'prod', secretPath '\/other', secretName 'NEW_KEY'\)/);
    assert.ok(!JSON.stringify(reply.body).includes("nope-1"), "the refused value is not echoed");
  });

  it("refuses an edit to a reader, and a write outside the granted folder", async () => {
    const reader = await write("reader", "PATCH", "TOKEN", "nope-2");
    assert.equal(reader.status, 403);
    assert.equal(reader.body.error, "PermissionDenied");
    const outside = await write("writer", "PATCH", "PASSWORD", "nope-3", "/app/db");
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error, "PermissionDenied");
    const unchanged = await backend.call("GET", "/api/v3/secrets/raw/PASSWORD", { token: tokens.reader, query: { workspaceSlug: "shop", environment: "prod", secretPath: "/app/db" } });
    assert.equal(unchanged.body.secret.secretValue, shopValues.dbPassword);
    assert.equal(unchanged.body.secret.version, 1);
  });

  it("answers a taken name (400) and a missing secret (404) as Infisical does; a folder it may not write is 403 whether or not it exists", async () => {
    const taken = await write("writer", "POST", "TOKEN", "again");
    assert.equal(taken.status, 400);
    assert.equal(taken.body.error, "BadRequest");
    const missing = await write("writer", "PATCH", "ABSENT", "x");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, "NotFound");
    const noFolder = await backend.call("POST", "/api/v3/secrets/raw/X", {
      token: tokens.reader, json: { workspaceSlug: "shop", environment: "prod", secretPath: "/nowhere", secretValue: "x" },
    });
    assert.equal(noFolder.status, 403, "permission comes before existence");
  });
});
