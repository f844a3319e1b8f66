// The GitHub OIDC emulator: discovery, JWKS, the token endpoint a runner's job calls, the claims
// (GitHub's formats and lifetimes), and minting jobs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { expectOk, startTestBackend, type TestBackend } from "../../support/dev-backend.ts";

let test: TestBackend;

async function mint(claims: Record<string, unknown>, token = test.rootToken) {
  const response = await fetch(`${test.addr}/_oidc/jobs`, {
    method: "POST",
    headers: { "X-Vault-Token": token, "Content-Type": "application/json" },
    body: JSON.stringify({ claims }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

function payloadOf(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

before(async () => {
  test = await startTestBackend();
});

after(() => test.close());

describe("OIDC discovery and keys", () => {
  it("publishes a discovery document naming the issuer and the local JWKS", async () => {
    const document = (await (await fetch(test.backend.info.oidc.discoveryUrl)).json()) as any;
    assert.equal(document.issuer, "https://token.actions.githubusercontent.com");
    assert.equal(document.jwks_uri, test.backend.info.oidc.jwksUrl);
    assert.deepEqual(document.id_token_signing_alg_values_supported, ["RS256"]);
    assert.deepEqual(document.scopes_supported, ["openid"]);
    assert.ok(document.claims_supported.includes("repository_owner_id"));
    assert.ok(document.response_types_supported.length > 0 && document.subject_types_supported.length > 0);
  });

  it("signs RS256 tokens that verify against the published JWKS, with kid and x5t in the header", async () => {
    const jwt = await test.githubToken({ repository: "acme/app" });
    const header = decodeProtectedHeader(jwt);
    assert.equal(header.alg, "RS256");
    assert.equal(header.typ, "JWT");
    assert.ok(header.kid && header.x5t);
    const keys = createRemoteJWKSet(new URL(test.backend.info.oidc.jwksUrl));
    const { payload } = await jwtVerify(jwt, keys, {
      issuer: "https://token.actions.githubusercontent.com",
      audience: "https://github.com/acme",
      currentDate: new Date(test.clock.ms),
    });
    assert.equal(payload.repository, "acme/app");
  });
});

describe("the token endpoint", () => {
  it("answers {count, value} to the request token, whatever the case of bearer", async () => {
    const { requestUrl, requestToken } = test.backend.info.oidc;
    for (const scheme of ["bearer", "Bearer", "BEARER"]) {
      const response = await fetch(requestUrl, { headers: { Authorization: `${scheme} ${requestToken}` } });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { count: number; value: string };
      assert.equal(body.count, body.value.length);
    }
  });

  it("refuses a missing or unknown request token with 401", async () => {
    const { requestUrl } = test.backend.info.oidc;
    const attempts: Record<string, string>[] = [{}, { Authorization: "bearer not-a-request-token" }, { Authorization: "Basic abc" }];
    for (const headers of attempts) {
      const response = await fetch(requestUrl, { headers });
      assert.equal(response.status, 401);
      assert.equal(typeof ((await response.json()) as any).message, "string");
    }
  });

  it("needs api-version=2.0, as GitHub's URL carries it", async () => {
    const { requestToken } = test.backend.info.oidc;
    const response = await fetch(`${test.addr}/_oidc/token`, { headers: { Authorization: `bearer ${requestToken}` } });
    assert.equal(response.status, 400);
    await response.arrayBuffer();
  });
});

describe("claims", () => {
  it("fills in GitHub's claims: strings, derived owner, default audience, 5 minute lifetime", async () => {
    const claims = payloadOf(await test.githubToken({ repository: "acme/app" }));
    assert.equal(claims.iss, "https://token.actions.githubusercontent.com");
    assert.equal(claims.aud, "https://github.com/acme");
    assert.equal(claims.sub, "repo:acme/app:ref:refs/heads/main");
    assert.equal(claims.exp - claims.iat, 300);
    assert.equal(claims.iat - claims.nbf, 600);
    assert.equal(claims.iat, Math.floor(test.clock.ms / 1000));
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.equal(claims.repository_owner, "acme");
    assert.equal(claims.ref_type, "branch");
    assert.equal(claims.event_name, "push");
    assert.equal(claims.runner_environment, "github-hosted");
    assert.equal(claims.ref_protected, "false");
    for (const name of ["actor_id", "repository_id", "repository_owner_id", "run_id", "run_number", "run_attempt"]) {
      assert.match(claims[name], /^\d+$/, `${name} is a numeric string`);
    }
    assert.match(claims.sha, /^[0-9a-f]{40}$/);
    assert.equal(claims.job_workflow_ref, "acme/app/.github/workflows/ci.yml@refs/heads/main");
    assert.equal("environment" in claims, false, "environment only when the job has one");
  });

  it("derives the same ids from the same names", async () => {
    const first = payloadOf(await test.githubToken({ repository: "acme/app" }));
    const second = payloadOf(await test.githubToken({ repository: "acme/app", ref: "refs/heads/other" }));
    assert.equal(first.repository_id, second.repository_id);
    assert.equal(first.repository_owner_id, second.repository_owner_id);
  });

  it("uses GitHub's subject formats: environment first, then pull_request, then the ref", async () => {
    const sub = async (claims: Record<string, string>) => payloadOf(await test.githubToken(claims)).sub;
    assert.equal(await sub({ repository: "acme/app", environment: "prod", event_name: "pull_request" }), "repo:acme/app:environment:prod");
    assert.equal(await sub({ repository: "acme/app", event_name: "pull_request", ref: "refs/pull/7/merge" }), "repo:acme/app:pull_request");
    assert.equal(await sub({ repository: "acme/app", ref: "refs/tags/v1.2.0" }), "repo:acme/app:ref:refs/tags/v1.2.0");
    assert.equal(payloadOf(await test.githubToken({ repository: "acme/app", ref: "refs/tags/v1" })).ref_type, "tag");
  });

  it("takes the audience asked for", async () => {
    assert.equal(payloadOf(await test.githubToken({ repository: "acme/app" }, "sts.amazonaws.com")).aud, "sts.amazonaws.com");
  });
});

describe("minting jobs", () => {
  it("needs the root token", async () => {
    assert.deepEqual(await mint({}, "hvs.nope"), { status: 403, body: { errors: ["permission denied"] } });
    const child = (await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["default"] } }))).body.auth.client_token;
    assert.equal((await mint({}, child)).status, 403);
  });

  it("refuses claims GitHub would never issue, naming the bad value", async () => {
    const bad = await mint({ repository: "just-a-name" });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors, ['claim "repository" must look like owner/name, got "just-a-name"']);
    assert.match((await mint({ repositry: "acme/app" })).body.errors[0], /unknown claim "repositry"/);
    assert.match((await mint({ run_id: "twelve" })).body.errors[0], /claim "run_id" must be digits, got "twelve"/);
  });

  it("answers 201 with a fresh request pair", async () => {
    const created = await mint({ repository: "acme/app" });
    assert.equal(created.status, 201);
    assert.equal(created.body.requestUrl, test.backend.info.oidc.requestUrl);
    assert.notEqual(created.body.requestToken, test.backend.info.oidc.requestToken);
  });
});

describe("a custom issuer", () => {
  it("puts --issuer in the tokens and the discovery document, and still verifies offline", async () => {
    const ghes = await startTestBackend({ issuer: "https://ghes.example.com/_services/token" });
    try {
      const jwt = await ghes.githubToken({ repository: "acme/app" }, "kb");
      assert.equal(payloadOf(jwt).iss, "https://ghes.example.com/_services/token");
      await expectOk(ghes.vault("POST", "sys/auth/jwt", { body: { type: "jwt" } }));
      await expectOk(
        ghes.vault("POST", "auth/jwt/config", {
          body: { oidc_discovery_url: "https://ghes.example.com/_services/token", bound_issuer: "https://ghes.example.com/_services/token" },
        }),
      );
      await expectOk(ghes.vault("POST", "auth/jwt/role/ci", { body: { role_type: "jwt", user_claim: "sub", bound_audiences: "kb" } }));
      assert.equal((await ghes.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt } })).status, 200);
    } finally {
      await ghes.close();
    }
  });
});
