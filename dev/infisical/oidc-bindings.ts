// What an identity's OIDC auth binds, checked after the token's signature and issuer, in
// Infisical's order: the bound subject (one pattern; a mismatch is 403 ForbiddenError), then the
// bound audiences and the bound claims (any-of lists; a mismatch is 401). Every pattern matches
// exactly or as a picomatch glob. Claim names are dot paths into the token. Messages name the
// claim and the configured patterns, never the token's values.
import { globMatch } from "./glob.ts";

export interface OidcBindings {
  /** "" binds no subject. */
  readonly boundSubject: string;
  /** Empty binds no audience. */
  readonly boundAudiences: readonly string[];
  /** Claim dot path → any-of patterns. */
  readonly boundClaims: Readonly<Record<string, readonly string[]>>;
}

export interface BindingRefusal {
  readonly status: 401 | 403;
  readonly message: string;
}

/** How Infisical stores a comma list: split on ",", each entry trimmed (empty entries dropped here). */
export function splitList(text: string): string[] {
  return text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
}

export function patternMatches(value: string, pattern: string): boolean {
  return value === pattern || globMatch(value, pattern);
}

/** "a.b" reads claims.a.b; a key that itself holds a dot cannot be reached, as in Infisical. */
export function claimByDotPath(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = claims;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A claim as the strings patterns are matched against: booleans as "true"/"false", arrays element-wise. */
function claimStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(claimStrings);
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return [];
}

const anyMatches = (values: readonly string[], patterns: readonly string[]) =>
  values.some((value) => patterns.some((pattern) => patternMatches(value, pattern)));

export function checkBindings(bindings: OidcBindings, claims: Readonly<Record<string, unknown>>): BindingRefusal | undefined {
  if (bindings.boundSubject !== "" && !anyMatches(claimStrings(claims.sub), [bindings.boundSubject])) {
    return {
      status: 403,
      message: `Access denied: OIDC subject not allowed. The token's sub does not match the identity's bound subject "${bindings.boundSubject}"; run the job where that subject applies or change bound_subject`,
    };
  }
  if (bindings.boundAudiences.length > 0 && !anyMatches(claimStrings(claims.aud), bindings.boundAudiences)) {
    return {
      status: 401,
      message: `Access denied: OIDC audience not allowed. The token's aud is none of ${bindings.boundAudiences.join(", ")}; request the token with one of them as its audience`,
    };
  }
  for (const [name, patterns] of Object.entries(bindings.boundClaims)) {
    const value = claimByDotPath(claims, name);
    if (value === undefined || value === null) {
      return { status: 401, message: `Access denied: token has no ${name} field. The identity binds claim "${name}"; only tokens that carry it can log in` };
    }
    if (!anyMatches(claimStrings(value), patterns)) {
      return {
        status: 401,
        message: `Access denied: OIDC claim not allowed. Claim "${name}" matches none of ${patterns.join(", ")}; run the job where it applies or change bound_claims`,
      };
    }
  }
  return undefined;
}
