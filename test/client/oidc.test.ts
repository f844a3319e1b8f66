import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeClaims, oidcRequestFromEnv, requestIdToken } from "../../client/oidc.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { useStubServer } from "../support/stub-server.ts";

const server = useStubServer();

const jwt = `e30.${Buffer.from(JSON.stringify({ sub: "repo:acme/app:environment:prod", aud: ["a", "b"], iss: "https://token.actions.githubusercontent.com", secret_claim: "x" })).toString("base64url")}.signature-part`;

describe("the job's OIDC token", () => {
  it("takes the runner's request pair from the environment", () => {
    assert.deepEqual(oidcRequestFromEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1/t", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "b" }), { url: "http://127.0.0.1/t", bearer: "b" });
  });

  it("fails saying how to grant id-token: write when the pair is missing", () => {
    assert.throws(() => oidcRequestFromEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1/t" }), (error: unknown) =>
      error instanceof KeybridgeError && error.code === "KB_OIDC_MISSING_PERMISSION" && /id-token: write/.test(error.message));
  });

  it("asks for the audience with the runner's bearer and returns the token", async () => {
    server.stub.route("GET /token", { status: 200, json: { value: jwt } });
    const token = await requestIdToken(server.http, { url: new URL("/token?api-version=2.0", server.stub.url).href, bearer: "runner-bearer" }, "https://vault.internal");
    assert.equal(token, jwt);
    const [sent] = server.stub.requests;
    assert.equal(sent!.headers.authorization, "Bearer runner-bearer");
    assert.equal(sent!.query.get("audience"), "https://vault.internal");
    assert.equal(sent!.query.get("api-version"), "2.0");
  });

  it("fails when the token service keeps answering 5xx", async () => {
    server.stub.route("GET /broken", { status: 503, json: {} });
    await assert.rejects(requestIdToken(server.http, { url: new URL("/broken", server.stub.url).href, bearer: "b" }, undefined), (error: unknown) =>
      error instanceof KeybridgeError && error.code === "KB_OIDC_REQUEST_FAILED" && /HTTP 503/.test(error.message));
  });

  it("shows the claims a role matches on, never the signature or other claims", () => {
    const shown = describeClaims(jwt);
    assert.equal(shown, "sub=repo:acme/app:environment:prod, aud=a|b, iss=https://token.actions.githubusercontent.com");
    assert.doesNotMatch(shown, /signature-part|secret_claim/);
    assert.equal(describeClaims("not-a-jwt"), "(the token's claims could not be decoded)");
  });
});
