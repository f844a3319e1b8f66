import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InfisicalBackend, type InfisicalScope } from "../../../client/backends/infisical.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { useStubServer } from "../../support/stub-server.ts";

const server = useStubServer();

const scope: InfisicalScope = { identityId: "id-1", project: "shop", environment: "prod", recursive: false, includeImports: true, expandReferences: true };
const infisical = (options: Partial<InfisicalScope> = {}) => new InfisicalBackend(server.http, { url: server.stub.url, ...scope, ...options });
const session = { token: "at", ttlSeconds: 600, policies: [], renewable: false, owned: true };

describe("InfisicalBackend", () => {
  it("logs the identity in with the job's token and owns the access token", async () => {
    server.stub.route("POST /api/v1/auth/oidc-auth/login", { status: 200, json: { accessToken: "at", expiresIn: 600 } });
    const got = await infisical().loginWithJwt("e30.e30.sig");
    assert.deepEqual(got, { token: "at", ttlSeconds: 600, policies: [], renewable: false, owned: true });
    assert.deepEqual(server.stub.requests[0]!.body, { identityId: "id-1", jwt: "e30.e30.sig" });
  });

  it("fails naming the identity and the token's subject when the subject is not bound", async () => {
    server.stub.route("POST /api/v1/auth/oidc-auth/login", { status: 403, json: { message: "Access denied: OIDC subject not allowed." } });
    const jwt = `e30.${Buffer.from(JSON.stringify({ sub: "repo:acme/app:ref:refs/heads/x" })).toString("base64url")}.sig`;
    await assert.rejects(infisical().loginWithJwt(jwt), (error: unknown) =>
      error instanceof KeybridgeError && error.code === "KB_LOGIN_REFUSED" && /identity id-1 \(HTTP 403\).*sub=repo:acme\/app:ref:refs\/heads\/x/.test(error.message));
  });

  it("reads a folder by project slug through v3, with Infisical's string booleans and the path as sent", async () => {
    server.stub.route("GET /api/v3/secrets/raw", { status: 200, json: { secrets: [{ secretKey: "DB_PASSWORD", secretValue: "p" }] } });
    const read = await infisical().read(session, "database");
    assert.deepEqual(read.data, { DB_PASSWORD: "p" });
    const query = server.stub.requests[0]!.query;
    assert.equal(query.get("workspaceSlug"), "shop");
    assert.equal(query.get("secretPath"), "/database");
    assert.equal(query.get("recursive"), "false");
    assert.equal(query.get("include_imports"), "true");
    assert.equal(query.get("expandSecretReferences"), "true");
    assert.equal(server.stub.requests[0]!.headers.authorization, "Bearer at");
  });

  it("reads by project id through v4", async () => {
    server.stub.route("GET /api/v4/secrets", { status: 200, json: { secrets: [] } });
    await infisical({ project: "0f8fad5b-d9cb-469f-a165-70867728950e" }).read(session, "/");
    assert.equal(server.stub.requests[0]!.query.get("projectId"), "0f8fad5b-d9cb-469f-a165-70867728950e");
  });

  it("keeps a hidden value out of the data and names the key as hidden", async () => {
    server.stub.route("GET /api/v3/secrets/raw", { status: 200, json: { secrets: [{ secretKey: "KEY", secretValue: "<hidden-by-infisical>", secretValueHidden: true }] } });
    const read = await infisical().read(session, "/");
    assert.deepEqual(read.data, {});
    assert.deepEqual([...read.hiddenKeys!], ["KEY"]);
  });

  it("revokes its access token, and takes a refused one as already invalid", async () => {
    server.stub.route("POST /api/v1/auth/token/revoke", { status: 200, json: {} });
    assert.equal(await infisical().revoke("at"), "revoked");
    assert.deepEqual(server.stub.requests[0]!.body, { accessToken: "at" });
    server.stub.route("POST /api/v1/auth/token/revoke", { status: 401, json: { message: "expired" } });
    assert.equal(await infisical().revoke("at"), "already-invalid");
  });
});
