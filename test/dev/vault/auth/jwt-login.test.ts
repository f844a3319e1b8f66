// Every login refusal of Vault's JWT plugin, in its order, with its message and status, plus the
// shape of a successful login. Tokens come from the emulator (GitHub's issuer) or are signed here
// with keys a second mount trusts through jwt_validation_pubkeys.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

const job = { repository: "acme/app", ref: "refs/heads/main" };
const audience = "https://github.com/acme";
const pemIssuer = "https://issuer.test";

let test: TestBackend;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };

async function login(mount: string, body: Record<string, unknown>, token?: string) {
  return test.vault("POST", `auth/${mount}/login`, { body, ...(token ? { token } : { headers: { "X-Vault-Token": "" } }) });
}

async function refused(mount: string, body: Record<string, unknown>, status: number, message: string | RegExp): Promise<void> {
  const reply = await login(mount, body);
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.errors.length, 1);
  if (typeof message === "string") assert.equal(reply.body.errors[0], message);
  else assert.match(reply.body.errors[0], message);
}

/** A token for the pem mount, signed with `key` (RS256 unless said otherwise). */
function pemToken(claims: Record<string, unknown>, key: CryptoKey = rsa.privateKey, alg = "RS256"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(key);
}

function nowSeconds(): number {
  return Math.floor(test.clock.ms / 1000);
}

function pemClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { iss: pemIssuer, sub: "svc", aud: "kb", iat: now, nbf: now, exp: now + 300, count: 7, ...extra };
}

before(async () => {
  test = await startTestBackend();
  rsa = await generateKeyPair("RS256");
  ec = await generateKeyPair("ES256");
  await configureGithubJwt(test);
  await expectOk(test.vault("PUT", "sys/policies/acl/app-read", { body: { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' } }));
  const githubRole = {
    role_type: "jwt",
    user_claim: "repository",
    bound_audiences: [audience],
    bound_claims: { repository: "acme/app", ref: "refs/heads/main" },
    token_policies: ["app-read"],
    token_ttl: "10m",
    token_max_ttl: "15m",
  };
  await expectOk(test.vault("POST", "auth/jwt/role/ci", { body: githubRole }));
  await expectOk(test.vault("POST", "auth/jwt/role/no-aud", { body: { ...githubRole, bound_audiences: undefined } }));
  await expectOk(test.vault("POST", "auth/jwt/role/env", { body: { ...githubRole, bound_claims: { environment: "prod" } } }));
  await expectOk(test.vault("POST", "auth/jwt/role/env-user", { body: { ...githubRole, user_claim: "environment" } }));
  await expectOk(test.vault("POST", "auth/jwt/role/office", { body: { ...githubRole, token_bound_cidrs: ["10.0.0.0/8"] } }));
  await expectOk(
    test.vault("POST", "auth/jwt/role/mapped", {
      body: { ...githubRole, claim_mappings: { ref: "git_ref", "/repository_owner": "owner" }, token_no_default_policy: true },
    }),
  );
  await expectOk(
    test.vault("POST", "auth/jwt/role/browser", {
      body: { role_type: "oidc", user_claim: "sub", allowed_redirect_uris: ["http://localhost:8250/oidc/callback"] },
    }),
  );

  await expectOk(test.vault("POST", "sys/auth/pem", { body: { type: "jwt" } }));
  await expectOk(
    test.vault("POST", "auth/pem/config", {
      body: {
        jwt_validation_pubkeys: [await exportSPKI(rsa.publicKey), await exportSPKI(ec.publicKey)],
        jwt_supported_algs: ["RS256"],
        bound_issuer: pemIssuer,
      },
    }),
  );
  const pemRole = { role_type: "jwt", user_claim: "sub", bound_audiences: "kb" };
  await expectOk(test.vault("POST", "auth/pem/role/svc", { body: pemRole }));
  await expectOk(test.vault("POST", "auth/pem/role/bound-sub", { body: { ...pemRole, bound_subject: "other" } }));
  await expectOk(test.vault("POST", "auth/pem/role/count", { body: { ...pemRole, user_claim: "count" } }));
  await expectOk(test.vault("POST", "sys/auth/unconfigured", { body: { type: "jwt" } }));
});

after(() => test.close());

describe("JWT login refusals, in Vault's order and words", () => {
  it("refuses a mount with no config: could not load configuration", async () => {
    await refused("unconfigured", { role: "x", jwt: "y" }, 400, "could not load configuration");
  });

  it("refuses a login without role when the mount has no default_role: missing role", async () => {
    await refused("jwt", { jwt: await test.githubToken(job, audience) }, 400, "missing role");
  });

  it("refuses an unknown role, after lower-casing the name", async () => {
    await refused("jwt", { role: "Nope", jwt: "x" }, 400, 'role "nope" could not be found');
  });

  it("refuses a role of type oidc", async () => {
    await refused("jwt", { role: "browser", jwt: "x" }, 400, "role with oidc role_type is not allowed");
  });

  it("refuses an empty jwt: missing token", async () => {
    await refused("jwt", { role: "ci", jwt: "" }, 400, "missing token");
  });

  it("refuses a caller outside token_bound_cidrs with 403", async () => {
    await refused("jwt", { role: "office", jwt: await test.githubToken(job, audience) }, 403, "permission denied");
  });

  it("refuses a token signed by a key the issuer does not publish", async () => {
    const foreign = await pemToken({ ...pemClaims(), iss: "https://token.actions.githubusercontent.com", aud: audience, ...job });
    await refused("jwt", { role: "ci", jwt: foreign }, 400, /^error validating token: error verifying token signature: /);
  });

  it("refuses a token whose signature was tampered with", async () => {
    const [header, payload] = (await test.githubToken(job, audience)).split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), repository: "acme/app" }));
    const token = `${header}.${forged.toString("base64url")}.${"A".repeat(342)}`;
    await refused("jwt", { role: "ci", jwt: token }, 400, /^error validating token: error verifying token signature: /);
  });

  it("refuses alg none", async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${encode(pemClaims())}.`;
    await refused("pem", { role: "svc", jwt: unsigned }, 400, /^error validating token: error verifying token signature: /);
  });

  it("refuses HS256, even keyed with a public key's bytes", async () => {
    const secret = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const token = await new SignJWT(pemClaims()).setProtectedHeader({ alg: "HS256" }).sign(secret);
    await refused("pem", { role: "svc", jwt: token }, 400, /^error validating token: error verifying token signature: /);
  });

  it("refuses a trusted key's algorithm that jwt_supported_algs leaves out", async () => {
    const token = await pemToken(pemClaims(), ec.privateKey, "ES256");
    await refused(
      "pem",
      { role: "svc", jwt: token },
      400,
      "error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm",
    );
  });

  it("refuses a token without iat, nbf and exp", async () => {
    const { iat: _iat, nbf: _nbf, exp: _exp, ...timeless } = pemClaims();
    await refused(
      "pem",
      { role: "svc", jwt: await pemToken(timeless) },
      400,
      "error validating token: no issued at (iat), not before (nbf), or expiration time (exp) claims in token",
    );
  });

  it("refuses an issuer other than bound_issuer", async () => {
    await refused("pem", { role: "svc", jwt: await pemToken(pemClaims({ iss: "https://evil.test" })) }, 400, "error validating token: invalid issuer (iss) claim");
  });

  it("refuses a subject other than bound_subject", async () => {
    await refused("pem", { role: "bound-sub", jwt: await pemToken(pemClaims()) }, 400, "error validating token: invalid subject (sub) claim");
  });

  it("refuses an audience the role does not bind", async () => {
    await refused(
      "jwt",
      { role: "ci", jwt: await test.githubToken(job, "https://github.com/other") },
      400,
      "error validating token: invalid audience (aud) claim: audience claim does not match any expected audience",
    );
  });

  it("refuses a token expired by more than the 60 s leeway, and accepts one within it", async () => {
    const token = await test.githubToken(job, audience);
    test.clock.advance(300 + 59);
    try {
      assert.equal((await login("jwt", { role: "ci", jwt: token })).status, 200, "59 s past exp is within the leeway");
      test.clock.advance(2);
      await refused("jwt", { role: "ci", jwt: token }, 400, "error validating token: invalid expiration time (exp) claim: token is expired");
    } finally {
      test.clock.advance(-(300 + 61));
    }
  });

  it("refuses a token that is not valid yet (nbf beyond the leeway)", async () => {
    const token = await pemToken(pemClaims({ nbf: nowSeconds() + 61, iat: undefined }));
    await refused("pem", { role: "svc", jwt: token }, 400, "error validating token: invalid not before (nbf) claim: token not yet valid");
  });

  it("refuses a token issued in the future (iat beyond the leeway)", async () => {
    const token = await pemToken(pemClaims({ nbf: nowSeconds() - 10, iat: nowSeconds() + 61 }));
    await refused("pem", { role: "svc", jwt: token }, 400, "error validating token: invalid issued at (iat) claim: token issued in the future");
  });

  it("refuses a GitHub token (which always has aud) on a role without bound_audiences (Vault ≥ 1.17)", async () => {
    await refused("jwt", { role: "no-aud", jwt: await test.githubToken(job, audience) }, 400, "audience claim found in JWT but no audiences bound to the role");
  });

  it("refuses a token without the user_claim, or with one that is not a string", async () => {
    await refused("jwt", { role: "env-user", jwt: await test.githubToken(job, audience) }, 400, 'claim "environment" not found in token');
    await refused("pem", { role: "count", jwt: await pemToken(pemClaims()) }, 400, 'claim "count" could not be converted to string');
  });

  it("refuses claims that do not match bound_claims, naming the claim", async () => {
    await refused(
      "jwt",
      { role: "ci", jwt: await test.githubToken({ ...job, ref: "refs/heads/feature" }, audience) },
      400,
      'error validating claims: claim "ref" does not match any associated bound claim values',
    );
    await refused("jwt", { role: "env", jwt: await test.githubToken(job, audience) }, 400, 'error validating claims: claim "environment" is missing');
  });

  it("answers a login on a mount that does not exist as Vault does: 403 without a token, 404 for root", async () => {
    await refused("none", { role: "ci", jwt: "x" }, 403, "permission denied");
    const reply = await test.vault("POST", "auth/none/login", { body: { role: "ci", jwt: "x" } });
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body.errors, ['no handler for route "auth/none/login". route entry not found.']);
  });
});

describe("JWT login success", () => {
  it("answers Vault's auth block, with default added and metadata as an object", async () => {
    const reply = await login("jwt", { role: "CI", jwt: await test.githubToken(job, audience) });
    assert.equal(reply.status, 200);
    const { auth } = reply.body;
    assert.match(auth.client_token, /^hvs\.[0-9A-Za-z]{24,}$/);
    assert.deepEqual(auth.policies, ["app-read", "default"]);
    assert.deepEqual(auth.token_policies, ["app-read", "default"]);
    assert.deepEqual(auth.metadata, { role: "ci" });
    assert.equal(auth.lease_duration, 600);
    assert.equal(auth.renewable, true);
    assert.equal(auth.token_type, "service");
    assert.equal(auth.orphan, true);
    assert.equal(auth.mfa_requirement, null);
    assert.equal(auth.num_uses, 0);
    assert.match(auth.entity_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(reply.body.mount_type, "jwt");
    assert.equal(reply.body.data, null);

    const self = await test.vault("GET", "auth/token/lookup-self", { token: auth.client_token });
    assert.equal(self.body.data.display_name, "jwt-acme/app");
    assert.equal(self.body.data.path, "auth/jwt/login");
    assert.equal(self.body.data.id, auth.client_token);
  });

  it("copies claim_mappings into metadata and leaves default out on request", async () => {
    const reply = await login("jwt", { role: "mapped", jwt: await test.githubToken(job, audience) });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.auth.metadata, { role: "mapped", git_ref: "refs/heads/main", owner: "acme" });
    assert.deepEqual(reply.body.auth.policies, ["app-read"]);
  });

  it("falls back to the mount's default_role", async () => {
    await expectOk(
      test.vault("POST", "sys/auth/withdefault", { body: { type: "jwt" } }),
    );
    await expectOk(
      test.vault("POST", "auth/withdefault/config", {
        body: { oidc_discovery_url: "https://token.actions.githubusercontent.com", default_role: "ci" },
      }),
    );
    await expectOk(test.vault("POST", "auth/withdefault/role/ci", { body: { role_type: "jwt", user_claim: "sub", bound_audiences: audience } }));
    assert.equal((await login("withdefault", { jwt: await test.githubToken(job, audience) })).status, 200);
  });
});

describe("JWT roles and config", () => {
  const write = (body: Record<string, unknown>) => test.vault("POST", "auth/jwt/role/bad", { body });

  it("makes role_type default to oidc, which needs allowed_redirect_uris", async () => {
    const reply = await write({ user_claim: "sub", bound_audiences: audience });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.errors, ["'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."]);
  });

  it("needs a user_claim and at least one bound constraint", async () => {
    assert.deepEqual((await write({ role_type: "jwt", bound_audiences: audience })).body.errors, ["a user claim must be defined on the role"]);
    assert.deepEqual((await write({ role_type: "jwt", user_claim: "sub" })).body.errors, [
      "must have at least one bound constraint when creating/updating a role",
    ]);
  });

  it("refuses a token_ttl above token_max_ttl", async () => {
    const reply = await write({ role_type: "jwt", user_claim: "sub", bound_subject: "x", token_ttl: "1h", token_max_ttl: "10m" });
    assert.deepEqual(reply.body.errors, ["ttl should not be greater than max ttl"]);
  });

  it("needs string values for glob bound claims", async () => {
    const reply = await write({ role_type: "jwt", user_claim: "sub", bound_claims_type: "glob", bound_claims: { run_id: 5 } });
    assert.deepEqual(reply.body.errors, ["claim is not a string: 5"]);
  });

  it("reads a role back with comma-string audiences split and durations in seconds", async () => {
    await expectOk(write({ role_type: "jwt", user_claim: "sub", bound_audiences: "a, b", token_ttl: "10m", policies: "p1,p2" }));
    const role = (await test.vault("GET", "auth/jwt/role/bad")).body.data;
    assert.deepEqual(role.bound_audiences, ["a", "b"]);
    assert.equal(role.token_ttl, 600);
    assert.deepEqual(role.token_policies, ["p1", "p2"]);
    assert.equal(role.clock_skew_leeway, 60);
    const list = await test.vault("LIST", "auth/jwt/role");
    assert.ok(list.body.data.keys.includes("bad"));
    assert.equal((await test.vault("DELETE", "auth/jwt/role/bad")).status, 204);
    assert.equal((await test.vault("GET", "auth/jwt/role/bad")).status, 404);
  });

  it("needs exactly one key source in the config", async () => {
    const reply = await test.vault("POST", "auth/pem/config", {
      body: { jwks_url: "https://token.actions.githubusercontent.com/.well-known/jwks", oidc_discovery_url: "https://token.actions.githubusercontent.com" },
    });
    assert.deepEqual(reply.body.errors, ["exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set"]);
  });

  it("serves GitHub's JWKS URL from the emulator, offline", async () => {
    await expectOk(test.vault("POST", "sys/auth/byjwks", { body: { type: "jwt" } }));
    await expectOk(test.vault("POST", "auth/byjwks/config", { body: { jwks_url: "https://token.actions.githubusercontent.com/.well-known/jwks" } }));
    await expectOk(test.vault("POST", "auth/byjwks/role/ci", { body: { role_type: "jwt", user_claim: "sub", bound_audiences: audience } }));
    assert.equal((await login("byjwks", { role: "ci", jwt: await test.githubToken(job, audience) })).status, 200);
  });
});
