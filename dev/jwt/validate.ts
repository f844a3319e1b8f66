// Checks a JWT the way Vault's JWT plugin does (through hashicorp/cap): signature first, then the
// signing algorithm, then the registered claims (iss, sub, aud), then the time claims with the
// role's clock-skew leeway. Only asymmetric algorithms ever reach a key: `none` and HS* cannot
// verify. Errors carry cap's wording; the caller prefixes "error validating token: ".
import { withCode } from "../../policy/errors/keybridge-error.ts";
import type { Verifier } from "./keys.ts";

/** What Vault accepts when jwt_supported_algs is empty. */
export const asymmetricAlgorithms = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"];

const defaultLeewaySeconds = 150;
const defaultClockSkewSeconds = 60;

export interface Expected {
  /** "" skips the check, as an unset bound_issuer / bound_subject does. */
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly algorithms: readonly string[];
  /** Seconds: 0 means the default (60), negative means none. */
  readonly clockSkewLeeway: number;
  /** Seconds: only used to make up `exp` when the token has none; 0 means 150, negative none. */
  readonly expirationLeeway: number;
  /** Seconds: only used to make up `nbf` when the token has neither `nbf` nor `iat`. */
  readonly notBeforeLeeway: number;
  readonly nowSeconds: number;
}

export class TokenValidationError extends withCode("KB_DEV_TOKEN_INVALID") {}

function leeway(value: number, fallback: number): number {
  return value < 0 ? 0 : value === 0 ? fallback : value;
}

function numericClaim(claims: Readonly<Record<string, unknown>>, name: string): number {
  const value = claims[name];
  if (value === undefined || value === null) return 0;
  if (typeof value !== "number") throw new TokenValidationError(`claim "${name}" is not a number`);
  return value;
}

export async function validateToken(token: string, verify: Verifier, expected: Expected): Promise<Record<string, unknown>> {
  let verified;
  try {
    verified = await verify(token, asymmetricAlgorithms);
  } catch (error) {
    // The cause keeps jose's error code (an unknown kid, say) for callers that word it their way.
    throw new TokenValidationError(`error verifying token signature: ${(error as Error).message}`, { cause: error });
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    claims = undefined;
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new TokenValidationError("error verifying token signature: the token payload is not a JSON object");
  }
  const all = claims as Record<string, unknown>;

  const allowed = expected.algorithms.length > 0 ? expected.algorithms : asymmetricAlgorithms;
  if (!allowed.includes(verified.protectedHeader.alg)) {
    throw new TokenValidationError("invalid algorithm (alg) header parameter: token signed with unexpected algorithm");
  }

  const issuedAt = numericClaim(all, "iat");
  let expiry = numericClaim(all, "exp");
  let notBefore = numericClaim(all, "nbf");
  if (issuedAt === 0 && expiry === 0 && notBefore === 0) {
    throw new TokenValidationError("no issued at (iat), not before (nbf), or expiration time (exp) claims in token");
  }
  if (expiry === 0) expiry = Math.max(issuedAt, notBefore) + leeway(expected.expirationLeeway, defaultLeewaySeconds);
  if (notBefore === 0) notBefore = issuedAt !== 0 ? issuedAt : expiry - leeway(expected.notBeforeLeeway, defaultLeewaySeconds);

  if (expected.issuer !== "" && all.iss !== expected.issuer) throw new TokenValidationError("invalid issuer (iss) claim");
  if (expected.subject !== "" && all.sub !== expected.subject) throw new TokenValidationError("invalid subject (sub) claim");
  if (expected.audiences.length > 0) {
    const audiences = typeof all.aud === "string" ? [all.aud] : Array.isArray(all.aud) ? all.aud : [];
    if (!expected.audiences.some((audience) => audiences.includes(audience))) {
      throw new TokenValidationError("invalid audience (aud) claim: audience claim does not match any expected audience");
    }
  }

  const skew = leeway(expected.clockSkewLeeway, defaultClockSkewSeconds);
  const now = expected.nowSeconds;
  if (now + skew < notBefore) throw new TokenValidationError("invalid not before (nbf) claim: token not yet valid");
  if (now - skew > expiry) throw new TokenValidationError("invalid expiration time (exp) claim: token is expired");
  if (issuedAt !== 0 && now + skew < issuedAt) {
    throw new TokenValidationError("invalid issued at (iat) claim: token issued in the future");
  }
  return all;
}
