// Machine-identity logins and access tokens over HTTP, in-process with a test clock: OIDC login
// (JSON and form bodies; subject 403 vs audience/claims 401; expired token, unknown kid, foreign
// key, wrong issuer), universal auth, token TTL, max TTL, uses limit, renew and revoke, the error
// envelope with its reqId, 422 issue lists, 429 with Retry-After, and the audit lines.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair, SignJWT } from "jose";
import { ciIdentity, orgId, ref, startInfisicalBackend, type ApiReply, type InfisicalTestBackend } from "../../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../../support/infisical-shop.ts";

const issuer = "https://token.actions.githubusercontent.com";
const prodJob = { ...shopClaims, environment: "prod" };
const readProd = [{ action: ["describeSecret", "readValue"], conditions: { environment: { $eq: "prod" } } }];

function document() {
  return shopDocument(
    [
      ciIdentity("strict", "shop", {
        bound_subject: "repo:acme/shop:environment:prod",
        bound_audiences: ["https://github.com/acme"],
        bound_claims: { repository: "acme/shop", ref: "refs/heads/main, refs/heads/release/*" },
        access_token_ttl: 60,
        access_token_max_ttl: 120,
        access_token_num_uses_limit: 3,
      }, readProd),
      ciIdentity("loose", "shop", shopAuth, readProd),
      ciIdentity("needs_env", "shop", { bound_claims: { environment: "prod" } }, readProd),
      ciIdentity("other_issuer", "shop", { ...shopAuth, bound_issuer: "https://issuer.example" }, readProd),
    ],
    {
      infisical_identity: { bare: { name: "bare", org_id: orgId, role: "no-access" }, uni: { name: "uni", org_id: orgId, role: "no-access" } },
      infisical_identity_universal_auth: { uni: { identity_id: ref("infisical_identity.uni", "id"), access_token_ttl: 300 } },
      infisical_identity_universal_auth_client_secret: {
        uni: { identity_id: ref("infisical_identity.uni", "id"), depends_on: ["infisical_identity_universal_auth.uni"] },
        once: { identity_id: ref("infisical_identity.uni", "id"), number_of_uses_limit: 1, ttl: 86_400, depends_on: ["infisical_identity_universal_auth.uni"] },
      },
      infisical_project_identity: {
        uni: { project_id: ref("infisical_project.shop", "id"), identity_id: ref("infisical_identity.uni", "id"), roles: [{ role_slug: "viewer" }] },
      },
    },
  );
}

function withOutputs(doc: ReturnType<typeof document>) {
  return {
    ...doc,
    output: {
      ...doc.output,
      bare: { value: ref("infisical_identity.bare", "id") },
      client_id: { value: ref("infisical_identity_universal_auth_client_secret.uni", "client_id") },
      client_secret: { value: ref("infisical_identity_universal_auth_client_secret.uni", "client_secret"), sensitive: true },
      once_secret: { value: ref("infisical_identity_universal_auth_client_secret.once", "client_secret"), sensitive: true },
    },
  };
}

let backend: InfisicalTestBackend;
let auditDir: string;
let auditFile: string;
const id = (name: string): string => backend.outputs[name];

function assertEnvelope(reply: ApiReply, status: number, error: string, message?: RegExp): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.body.reqId, /^req-[A-Za-z0-9]{14}$/);
  assert.equal(reply.body.statusCode, status);
  assert.equal(reply.body.error, error);
  if (message) assert.match(reply.body.message, message);
}

const listProd = (token: string, secretPath = "/app") =>
  backend.call("GET", "/api/v3/secrets/raw", { token, query: { workspaceSlug: "shop", environment: "prod", secretPath } });

before(async () => {
  auditDir = await mkdtemp(join(tmpdir(), "kb-inf-audit-"));
  auditFile = join(auditDir, "audit.log");
  backend = await startInfisicalBackend(withOutputs(document()), { auditLogPath: auditFile, infisicalRateLimit: 0 });
});

after(async () => {
  await backend?.close();
  await rm(auditDir, { recursive: true, force: true });
});

describe("OIDC login", () => {
  it("answers Infisical's login body to a JSON and to a form-urlencoded request", async () => {
    const json = await backend.login(id("strict"), prodJob);
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.deepEqual(Object.keys(json.body).sort(), ["accessToken", "accessTokenMaxTTL", "expiresIn", "tokenType"]);
    assert.equal(json.body.expiresIn, 60);
    assert.equal(json.body.accessTokenMaxTTL, 120);
    assert.equal(json.body.tokenType, "Bearer");
    const form = await backend.call("POST", "/api/v1/auth/oidc-auth/login", {
      form: { identityId: id("strict"), jwt: await backend.test.githubToken(prodJob) },
    });
    assert.equal(form.status, 200);
    assert.notEqual(form.body.accessToken, json.body.accessToken, "every login mints a new random token");
  });

  it("refuses a bound-subject mismatch with 403 ForbiddenError", async () => {
    const reply = await backend.login(id("strict"), { ...shopClaims, environment: "staging" });
    assertEnvelope(reply, 403, "ForbiddenError", /^Access denied: OIDC subject not allowed\./);
  });

  it("refuses an audience mismatch with 401", async () => {
    const reply = await backend.login(id("strict"), prodJob, "https://github.com/someone-else");
    assertEnvelope(reply, 401, "UnauthorizedError", /^Access denied: OIDC audience not allowed\./);
  });

  it("refuses a bound-claim mismatch with 401, and matches claims as picomatch globs", async () => {
    assertEnvelope(await backend.login(id("strict"), { ...prodJob, ref: "refs/heads/dev" }), 401, "UnauthorizedError", /OIDC claim not allowed\. Claim "ref"/);
    assert.equal((await backend.login(id("strict"), { ...prodJob, ref: "refs/heads/release/1.0" })).status, 200);
    // picomatch's * stops at "/": a nested branch is not "refs/heads/release/*".
    assert.equal((await backend.login(id("strict"), { ...prodJob, ref: "refs/heads/release/1.0/hotfix" })).status, 401);
  });

  it("refuses a token without a bound claim with 401", async () => {
    assertEnvelope(await backend.login(id("needs_env"), shopClaims), 401, "UnauthorizedError", /token has no environment field/);
  });

  it("refuses an expired GitHub token with 401", async () => {
    const jwt = await backend.test.githubToken(prodJob);
    backend.test.clock.advance(301);
    const reply = await backend.call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId: id("loose"), jwt } });
    assertEnvelope(reply, 401, "UnauthorizedError", /OIDC JWT verification failed: .*expired/);
  });

  it("refuses a token whose kid is unknown, and one signed by a foreign key under the emulator's kid", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const jwks = (await (await fetch(`${backend.addr}/_oidc/.well-known/jwks`)).json()) as { keys: { kid: string }[] };
    const now = Math.floor(backend.test.clock.ms / 1000);
    const forge = (kid: string) =>
      new SignJWT({ repository: "acme/shop", sub: "repo:acme/shop:ref:refs/heads/main" })
        .setProtectedHeader({ alg: "RS256", kid })
        .setIssuer(issuer)
        .setAudience("https://github.com/acme")
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
    const unknownKid = await backend.call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId: id("loose"), jwt: await forge("unknown-kid") } });
    assertEnvelope(unknownKid, 401, "UnauthorizedError", /signing_key_not_found/);
    const foreign = await backend.call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId: id("loose"), jwt: await forge(jwks.keys[0]!.kid) } });
    assertEnvelope(foreign, 401, "UnauthorizedError", /OIDC JWT verification failed: .*signature/);
  });

  it("refuses a token from another issuer than the bound issuer with 401", async () => {
    assertEnvelope(await backend.login(id("other_issuer"), prodJob), 401, "UnauthorizedError", /invalid issuer/);
  });

  it("answers 404 for an identity without OIDC auth", async () => {
    assertEnvelope(await backend.login(id("bare"), prodJob), 404, "NotFound", /^OIDC auth method not found for identity, did you configure OIDC auth\?/);
  });

  it("answers 422 with the zod issue list when a field is missing, never echoing the body", async () => {
    const reply = await backend.call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId: id("loose") } });
    assertEnvelope(reply, 422, "ValidationFailure");
    assert.deepEqual(reply.body.message, [{ code: "invalid_type", expected: "string", received: "undefined", path: ["jwt"], message: "Required" }]);
  });

  it("answers 400 for a body that is not JSON, without quoting it", async () => {
    const response = await fetch(`${backend.addr}/api/v1/auth/oidc-auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{jwt: not-json-s3cr3t" });
    const body = (await response.json()) as Record<string, string>;
    assert.equal(response.status, 400);
    assert.equal(body.error, "BadRequest");
    assert.doesNotMatch(JSON.stringify(body), /s3cr3t/);
  });
});

describe("access tokens", () => {
  it("reads until the TTL ends", async () => {
    const token = await backend.tokenFor(id("strict"), prodJob);
    assert.equal((await listProd(token)).status, 200);
    backend.test.clock.advance(61);
    assertEnvelope(await listProd(token), 401, "UnauthorizedError", /TTL expiration/);
  });

  it("renews within the max TTL, and refuses to renew past it with 400", async () => {
    const token = await backend.tokenFor(id("strict"), prodJob);
    backend.test.clock.advance(50);
    const renewed = await backend.call("POST", "/api/v1/auth/token/renew", { json: { accessToken: token } });
    assert.equal(renewed.status, 200);
    assert.deepEqual(renewed.body, { accessToken: token, expiresIn: 60, accessTokenMaxTTL: 120, tokenType: "Bearer" });
    backend.test.clock.advance(50);
    assert.equal((await listProd(token)).status, 200, "the renewal restarted the TTL");
    assertEnvelope(await backend.call("POST", "/api/v1/auth/token/renew", { json: { accessToken: token } }), 400, "BadRequest", /Max TTL/);
  });

  it("counts uses against the limit", async () => {
    const token = await backend.tokenFor(id("strict"), prodJob);
    for (let use = 0; use < 3; use++) assert.equal((await listProd(token)).status, 200);
    assertEnvelope(await listProd(token), 401, "UnauthorizedError", /usage limit/);
  });

  it("revokes: the token is refused after, and a second revoke is 401", async () => {
    const token = await backend.tokenFor(id("loose"), prodJob);
    assert.equal((await listProd(token)).status, 200);
    const revoked = await backend.call("POST", "/api/v1/auth/token/revoke", { json: { accessToken: token } });
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, { message: "Successfully revoked access token" });
    assertEnvelope(await listProd(token), 401, "UnauthorizedError", /revoked/);
    assertEnvelope(await backend.call("POST", "/api/v1/auth/token/revoke", { json: { accessToken: token } }), 401, "UnauthorizedError");
  });

  it("answers 401 Token missing without an Authorization header, and for a token it never issued", async () => {
    assertEnvelope(await backend.call("GET", "/api/v3/secrets/raw", { query: { workspaceSlug: "shop", environment: "prod" } }), 401, "UnauthorizedError", /^Token missing/);
    assertEnvelope(await listProd("made-up-token"), 401, "UnauthorizedError", /Invalid access token/);
  });
});

describe("universal auth", () => {
  it("logs in with the client id and secret Terraform made, as the identity", async () => {
    const reply = await backend.call("POST", "/api/v1/auth/universal-auth/login", { json: { clientId: backend.outputs.client_id, clientSecret: backend.outputs.client_secret } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.expiresIn, 300);
    const list = await listProd(reply.body.accessToken);
    assert.equal(list.status, 200, "the viewer role reads prod");
    assert.ok(list.body.secrets.some((secret: { secretValue: string }) => secret.secretValue === shopValues.apiUrl));
  });

  it("refuses a wrong secret, and a client secret past its uses limit, with 401", async () => {
    const wrong = await backend.call("POST", "/api/v1/auth/universal-auth/login", { form: { clientId: backend.outputs.client_id, clientSecret: "not-the-secret" } });
    assertEnvelope(wrong, 401, "UnauthorizedError", /^Invalid credentials/);
    const first = await backend.call("POST", "/api/v1/auth/universal-auth/login", { json: { clientId: backend.outputs.client_id, clientSecret: backend.outputs.once_secret } });
    assert.equal(first.status, 200);
    const second = await backend.call("POST", "/api/v1/auth/universal-auth/login", { json: { clientId: backend.outputs.client_id, clientSecret: backend.outputs.once_secret } });
    assertEnvelope(second, 401, "UnauthorizedError", /number of uses/);
  });
});

describe("the error envelope, the rate limit and the audit lines", () => {
  it("answers an unknown route with a 404 envelope", async () => {
    assertEnvelope(await backend.call("GET", "/api/v9/nothing"), 404, "NotFound", /^Route GET:\/api\/v9\/nothing not found/);
  });

  it("answers 429 with Retry-After once a client is past the limit", async () => {
    const limited = await startInfisicalBackend(document(), { infisicalRateLimit: 3 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await limited.call("GET", "/api/v3/secrets/raw")).status, 401);
      const reply = await limited.call("GET", "/api/v3/secrets/raw");
      assertEnvelope(reply, 429, "RateLimitExceeded", /^Rate limit exceeded\. Please try again in \d+ seconds/);
      assert.match(reply.headers.get("retry-after") ?? "", /^\d+$/);
      limited.test.clock.advance(61);
      assert.equal((await limited.call("GET", "/api/v3/secrets/raw")).status, 401, "a new window lets the client in again");
    } finally {
      await limited.close();
    }
  });

  it("writes audit lines with event types and actors, never a token, a JWT or a value", async () => {
    const jwt = await backend.test.githubToken(prodJob);
    const login = await backend.call("POST", "/api/v1/auth/oidc-auth/login", { json: { identityId: id("loose"), jwt } });
    await listProd(login.body.accessToken);
    const lines = (await readFile(auditFile, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Record<string, any>);
    const infisical = lines.filter((line) => line.type === "infisical");
    const loginLine = infisical.filter((line) => line.eventType === "login-identity-oidc-auth" && line.statusCode === 200).at(-1)!;
    assert.equal(loginLine.actor.identityId, id("loose"));
    assert.equal(loginLine.actor.name, "loose");
    const read = infisical.filter((line) => line.eventType === "get-secrets").at(-1)!;
    assert.deepEqual(read.eventMetadata, { environment: "prod", secretPath: "/app", numberOfSecrets: read.eventMetadata.numberOfSecrets });
    assert.ok(infisical.some((line) => line.statusCode === 403 && /subject not allowed/.test(line.error)), "refusals are audited too");
    const text = await readFile(auditFile, "utf8");
    for (const secret of [jwt, login.body.accessToken, shopValues.apiUrl, shopValues.dbPassword, backend.outputs.client_secret]) {
      assert.ok(!text.includes(secret), "the audit log holds no token, JWT or secret value");
    }
  });
});
