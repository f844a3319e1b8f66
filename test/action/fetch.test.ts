import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fetchSecrets } from "../../action/fetch.ts";
import type { FetchInputs } from "../../action/inputs.ts";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { describeError, KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { startStubServer, type StubServer } from "../support/stub-server.ts";
import { runAsStep } from "./support/runner-files.ts";

let stub: StubServer;
before(async () => void (stub = await startStubServer()));
after(() => stub.close());

const jwt = `e30.${Buffer.from(JSON.stringify({ sub: "repo:acme/app:ref:refs/heads/main" })).toString("base64url")}.signature`;

beforeEach(() => {
  stub.requests.splice(0);
  stub.route("GET /oidc", { status: 200, json: { value: jwt } });
  stub.route("POST /v1/auth/jwt/login", { status: 200, json: { auth: { client_token: "hvs.job-token", policies: ["ci"], lease_duration: 300, renewable: false } } });
  stub.route("GET /v1/auth/token/lookup-self", { status: 200, json: { data: { ttl: 0, policies: ["root"], renewable: false } } });
  stub.route("GET /v1/secret/data/db", { status: 200, json: { data: { data: { password: "db-pass-value", user: "db-user" }, metadata: { created_time: "2026-12-01T00:00:00Z" } } } });
  stub.route("GET /v1/secret/data/denied", { status: 403, json: { errors: ["permission denied"] } });
});

function inputs(fields: Partial<FetchInputs> = {}): FetchInputs {
  return {
    backend: "vault", url: stub.url, namespace: undefined, method: "jwt", authPath: "jwt", role: "ci", audience: "vault",
    auth: { method: "github-oidc", role: "ci", path: "jwt", audience: "vault" }, vocabulary: "keybridge", notes: [],
    secrets: parseSecretsSpec("secret/data/db password | DB_PASSWORD\nsecret/data/db user"), pki: [],
    exportEnv: true, exportOutputs: false, exportFile: undefined, maskEncodings: [], caCertificate: undefined,
    timeoutMs: 5_000, retries: 0, revoke: true, ignoreNotFound: false, infisical: undefined, rotationCheck: "warn", allowNames: new Set(),
    exportToken: false, outputToken: false, secretEncoding: undefined, tls: { skipVerify: false, clientCertificate: undefined, clientKey: undefined },
    extraHeaders: {}, workspaceFile: undefined,
    ...fields,
  };
}

const oidcEnv = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: new URL("/oidc", stub.url).href, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-bearer" });

describe("fetch mode", () => {
  it("trades the job's OIDC token for a Vault token, exports every secret masked, and leaves post the token to revoke", async () => {
    const run = await runAsStep(() => fetchSecrets(inputs()), oidcEnv());
    assert.equal(run.failure, undefined, describeError(run.failure));
    assert.equal(stub.requests[0]!.query.get("audience"), "vault");
    assert.deepEqual(stub.requests[1]!.body, { role: "ci", jwt });
    assert.deepEqual([...run.env], [["DB_PASSWORD", "db-pass-value"], ["USER", "db-user"]]);
    for (const value of [jwt, "hvs.job-token", "db-pass-value", "db-user"]) assert.ok(run.stdout.includes(`::add-mask::${value}\n`), `masks ${value.slice(0, 8)}…`);
    assert.deepEqual(Object.fromEntries(run.state), { backend: "vault", url: stub.url.href, token: "hvs.job-token" });
    assert.deepEqual(JSON.parse(run.outputs.get("exported")!), ["DB_PASSWORD", "USER"]);
    assert.match(run.stdout, /Logged in to Vault at http:\/\/127\.0\.0\.1:\d+ with role ci: token valid for 5 min, policies ci/);
    assert.match(run.summary, /\| `DB_PASSWORD` \| `secret\/data\/db` \| `password` \|/);
    assert.doesNotMatch(run.summary + run.stdout.replace(/::add-mask::.*\n/g, ""), /db-pass-value|db-user|hvs\.job-token/);
  });

  it("exports nothing when one path cannot be read, naming it, and still leaves post the token", async () => {
    const run = await runAsStep(() => fetchSecrets(inputs({ secrets: parseSecretsSpec("secret/data/db password\nsecret/data/denied key") })), oidcEnv());
    assert.ok(run.failure instanceof KeybridgeError, String(run.failure));
    assert.deepEqual(describeError(run.failure).split("\n"), [
      "KB_READ_FAILED: secret/data/denied: permission denied (HTTP 403): the token's policies (ci) do not grant read on it",
      "KB_READ_FAILED: Nothing was exported: 1 of 2 paths could not be read",
    ]);
    assert.equal(run.env.size, 0);
    assert.equal(run.state.get("token"), "hvs.job-token");
  });

  it("fails before any request when the job has no OIDC request pair", async () => {
    const run = await runAsStep(() => fetchSecrets(inputs()), { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined });
    assert.ok(run.failure instanceof KeybridgeError && run.failure.code === "KB_OIDC_MISSING_PERMISSION");
    assert.equal(stub.requests.length, 0);
  });

  it("uses a given token as it is, masked, and saves nothing for post to revoke", async () => {
    const run = await runAsStep(() => fetchSecrets(inputs({ method: "token", auth: { method: "given-token", token: "hvs.users-own" } })), { ACTIONS_ID_TOKEN_REQUEST_URL: undefined });
    assert.equal(run.failure, undefined, describeError(run.failure));
    assert.ok(run.stdout.startsWith("::add-mask::hvs.users-own\n"), "the token is masked before anything else");
    assert.equal(stub.requests[0]!.headers["x-vault-token"], "hvs.users-own");
    assert.equal(run.state.size, 0);
    assert.equal(run.env.get("DB_PASSWORD"), "db-pass-value");
  });
});
