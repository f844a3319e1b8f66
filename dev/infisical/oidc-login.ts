// POST /api/v1/auth/oidc-auth/login, following Infisical's algorithm: the identity's OIDC auth
// (404 without one), its discovery URL's keys, the signature with exp/nbf/iss (iss = bound
// issuer), then the bound subject (403), audiences and claims (401), then a new access token.
// A discovery URL that names the emulated issuer or the local /_oidc base is served from the
// emulator's keys in-process (as Vault's JWT auth does), so production configurations work
// offline; Infisical's refusal of local discovery URLs (its SSRF guard) does not apply here.
import { createVerifier, KeySourceError, type LocalIssuer } from "../jwt/keys.ts";
import { TokenValidationError, validateToken } from "../jwt/validate.ts";
import type { AccessTokens, AccessToken, LoginAnswer } from "./access-tokens.ts";
import { InfisicalError, notFound, unauthorized } from "./errors.ts";
import { checkBindings } from "./oidc-bindings.ts";
import type { InfisicalStore } from "./store.ts";

export interface LoginDeps {
  readonly store: InfisicalStore;
  readonly tokens: AccessTokens;
  readonly local: LocalIssuer;
  readonly now: () => number;
}

function verificationFailure(error: TokenValidationError): InfisicalError {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (code === "ERR_JWKS_NO_MATCHING_KEY") {
    return unauthorized("Access denied: signing_key_not_found: no key of the issuer's JWKS has the token's kid; check that oidc_discovery_url is the token's issuer");
  }
  return unauthorized(`Access denied: OIDC JWT verification failed: ${error.message}; check bound_issuer and the token's issuer and lifetime`);
}

export async function oidcLogin(deps: LoginDeps, identityId: string, jwt: string): Promise<{ answer: LoginAnswer; token: AccessToken }> {
  const config = deps.store.oidcAuth(identityId);
  if (!config) throw notFound(`OIDC auth method not found for identity, did you configure OIDC auth? (identity "${identityId}"); check the identity id or attach an infisical_identity_oidc_auth`);

  let verify;
  try {
    verify = await createVerifier({ oidcDiscoveryUrl: config.discoveryUrl }, deps.local);
  } catch (error) {
    if (!(error instanceof KeySourceError)) throw error;
    throw unauthorized(`Access denied: Failed to fetch OIDC discovery document: ${error.message}`);
  }
  let claims: Record<string, unknown>;
  try {
    claims = await validateToken(jwt, verify, {
      issuer: config.boundIssuer,
      // Subject and audiences are Infisical's own checks below, with its statuses.
      subject: "",
      audiences: [],
      algorithms: [],
      // jsonwebtoken's default: no clock tolerance.
      clockSkewLeeway: -1,
      expirationLeeway: -1,
      notBeforeLeeway: -1,
      nowSeconds: Math.floor(deps.now() / 1000),
    });
  } catch (error) {
    if (error instanceof TokenValidationError) throw verificationFailure(error);
    throw error;
  }

  const refusal = checkBindings(config, claims);
  if (refusal) throw new InfisicalError(refusal.status, refusal.status === 403 ? "ForbiddenError" : "UnauthorizedError", refusal.message);
  const { answer, token } = deps.tokens.issue(identityId, "oidc-auth", config);
  return { answer, token };
}
