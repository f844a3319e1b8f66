// Whether an Infisical identity's OIDC auth lets a token with these claims log in, decided as
// Infisical does after the signature and issuer: the bound subject (one pattern), then the bound
// audiences (any of), then every bound claim (a dot path into the token; any of its values).
// Each comparison is exact equality or a picomatch glob.
import type { Claims, LoginVerdict } from "../vault/jwt-role.ts";
import { infisicalMatches } from "./glob.ts";

export interface InfisicalOidcBinding {
  readonly subject?: string;
  readonly audiences: readonly string[];
  readonly claims: Readonly<Record<string, readonly string[]>>;
}

export function infisicalOidcAllows(binding: InfisicalOidcBinding, claims: Claims): LoginVerdict {
  if (binding.subject && !infisicalMatches(binding.subject, String(claims.sub ?? ""))) return { allowed: false, reason: "sub is not the bound subject" };
  if (binding.audiences.length > 0) {
    const audiences = values(claims.aud);
    if (!binding.audiences.some((pattern) => audiences.some((audience) => infisicalMatches(pattern, audience)))) return { allowed: false, reason: "aud is not a bound audience" };
  }
  for (const [path, accepted] of Object.entries(binding.claims)) {
    const actual = values(valueAt(claims, path));
    if (actual.length === 0) return { allowed: false, reason: `the token has no ${path} field` };
    if (!accepted.some((pattern) => actual.some((value) => infisicalMatches(pattern, value)))) return { allowed: false, reason: `claim "${path}" is not allowed` };
  }
  return { allowed: true };
}

/** The Terraform and API forms of a list ("a, b" or a list), as Infisical normalizes them. */
export function splitList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [];
  return items.map((item) => item.trim()).filter((item) => item !== "");
}

function valueAt(claims: Claims, path: string): unknown {
  let node: unknown = claims;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function values(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(values);
  return typeof value === "object" ? [] : [String(value)];
}
