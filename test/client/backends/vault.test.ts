import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { VaultBackend } from "../../../client/backends/vault.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";
import { useStubServer } from "../../support/stub-server.ts";

const server = useStubServer();

const jwt = `e30.${Buffer.from(JSON.stringify({ sub: "repo:acme/app:ref:refs/heads/main", aud: "vault", ref: "refs/heads/main" })).toString("base64url")}.sig`;
const session = { token: "hvs.t", ttlSeconds: 600, policies: ["default", "ci"], renewable: true, owned: true };
const vault = (options: Partial<ConstructorParameters<typeof VaultBackend>[1]> = {}) =>
  new VaultBackend(server.http, { name: "Vault", url: server.stub.url, namespace: undefined, authPath: "jwt", role: "ci", ...options });
const loginAnswer = { status: 200, json: { auth: { client_token: "hvs.new", policies: ["default", "ci"], lease_duration: 600, renewable: true } } };

function refusal(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof KeybridgeError && error.code === code && pattern.test(error.message);
}

describe("VaultBackend: login", () => {
  it("posts the role and the job's token to the auth mount, in the namespace, and owns the token it gets", async () => {
    server.stub.route("POST /v1/auth/github-actions/login", loginAnswer);
    const got = await vault({ authPath: "github-actions", namespace: "team-a" }).loginWithJwt(jwt);
    assert.deepEqual(got, { token: "hvs.new", ttlSeconds: 600, policies: ["default", "ci"], renewable: true, owned: true });
    const [sent] = server.stub.requests;
    assert.deepEqual(sent!.body, { role: "ci", jwt });
    assert.equal(sent!.headers["x-vault-namespace"], "team-a");
    assert.equal(sent!.headers["x-vault-request"], "true");
  });

  it("fails naming Vault's words, the token's claims and the fix when the role refuses the claims", async () => {
    server.stub.route("POST /v1/auth/jwt/login", { status: 400, json: { errors: ['error validating claims: claim "ref" does not match any associated bound claim values'] } });
    await assert.rejects(vault().loginWithJwt(jwt), refusal("KB_LOGIN_REFUSED", /role "ci" \(HTTP 400\): error validating claims.*sub=repo:acme\/app:ref:refs\/heads\/main, aud=vault, ref=refs\/heads\/main; compare the claims/));
  });

  it("fails saying which mount is missing when the auth path answers 404", async () => {
    await assert.rejects(vault({ authPath: "nope" }).loginWithJwt(jwt), refusal("KB_LOGIN_REFUSED", /no auth method at auth\/nope \(HTTP 404\): set the path input/));
  });

  it("logs in with AppRole at its own mount, without a secret id when none is given", async () => {
    server.stub.route("POST /v1/auth/machines/login", loginAnswer);
    await vault().loginWithAppRole("role-1", undefined, "machines");
    assert.deepEqual(server.stub.requests[0]!.body, { role_id: "role-1" });
  });

  it("adopts a given token after looking it up, and does not own it", async () => {
    server.stub.route("GET /v1/auth/token/lookup-self", { status: 200, json: { data: { ttl: 120, policies: ["default"], renewable: false } } });
    const got = await vault().useToken("hvs.mine");
    assert.equal(got.owned, false);
    assert.equal(server.stub.requests[0]!.headers["x-vault-token"], "hvs.mine");
  });
});

describe("VaultBackend: reads", () => {
  it("unwraps a KV v2 answer into its pairs, its write time and its custom metadata", async () => {
    server.stub.route("GET /v1/secret/data/app", { status: 200, json: { data: { data: { password: "p" }, metadata: { created_time: "2026-01-02T03:04:05Z", custom_metadata: { owner: "ml" } } } } });
    const read = await vault().read(session, "secret/data/app");
    assert.deepEqual(read.data, { password: "p" });
    assert.equal(read.writtenAt?.toISOString(), "2026-01-02T03:04:05.000Z");
    assert.deepEqual(read.customMetadata, { owner: "ml" });
    assert.equal(server.stub.requests[0]!.headers["x-vault-token"], "hvs.t");
  });

  it("keeps a KV v1 answer as it is, and a dynamic secret's lease", async () => {
    server.stub.route("GET /v1/database/creds/ci", { status: 200, json: { data: { username: "u", password: "p" }, lease_id: "database/creds/ci/abc", lease_duration: 300, renewable: true } });
    const read = await vault().read(session, "database/creds/ci");
    assert.deepEqual(read.data, { username: "u", password: "p" });
    assert.deepEqual(read.lease, { id: "database/creds/ci/abc", durationSeconds: 300, renewable: true });
  });

  it("fails with the KV v2 hint when a path without data/ is not found", async () => {
    await assert.rejects(vault().read(session, "secret/app"), refusal("KB_SECRET_NOT_FOUND", /secret\/app: not found \(HTTP 404\); for a KV v2 mount the path needs its data\/ segment/));
  });

  it("fails naming the token's policies when a read is denied", async () => {
    server.stub.route("GET /v1/secret/data/other", { status: 403, json: { errors: ["permission denied"] } });
    await assert.rejects(vault().read(session, "secret/data/other"), refusal("KB_READ_FAILED", /permission denied \(HTTP 403\): the token's policies \(default, ci\)/));
  });

  it("fails as unavailable when Vault answers 503 and no retries are left", async () => {
    server.stub.route("GET /v1/secret/data/app", { status: 503, json: { errors: ["Vault is sealed"] } });
    await assert.rejects(vault().read(session, "secret/data/app"), refusal("KB_HTTP_FAILED", /kept answering HTTP 503 \(Vault is sealed\)/));
  });
});

describe("VaultBackend: revocation", () => {
  it("revokes its token, and takes a refused token as already invalid", async () => {
    server.stub.route("POST /v1/auth/token/revoke-self", { status: 204 });
    assert.equal(await vault().revoke("hvs.t"), "revoked");
    server.stub.route("POST /v1/auth/token/revoke-self", { status: 403, json: { errors: ["permission denied"] } });
    assert.equal(await vault().revoke("hvs.t"), "already-invalid");
  });
});
