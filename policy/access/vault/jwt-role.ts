// Whether a Vault JWT/OIDC auth role lets a token with these claims log in, decided as Vault's
// JWT plugin does after the signature: `bound_audiences` (any of; a token with `aud` and a role
// without bound audiences is refused since Vault 1.17), `bound_subject` (exact), and every key of
// `bound_claims` (any of its values; `bound_claims_type = "glob"` lets `*` match any characters,
// `/` and `:` included). A claim that is a list matches when any of its elements does.
import { globMatch } from "../../principal/claim-patterns.ts";

export type Claims = Readonly<Record<string, unknown>>;

export interface VaultJwtBinding {
  readonly audiences: readonly string[];
  readonly subject?: string;
  readonly claims: Readonly<Record<string, readonly string[]>>;
  readonly claimsType: "string" | "glob";
}

export type LoginVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export function vaultJwtAllows(binding: VaultJwtBinding, claims: Claims): LoginVerdict {
  const audiences = asStrings(claims.aud);
  if (binding.audiences.length > 0) {
    if (!audiences.some((audience) => binding.audiences.includes(audience))) return { allowed: false, reason: "aud is not a bound audience" };
  } else if (audiences.length > 0) return { allowed: false, reason: "the token has aud but the role binds no audience" };
  if (binding.subject !== undefined && binding.subject !== "" && claims.sub !== binding.subject) return { allowed: false, reason: "sub is not the bound subject" };
  for (const [name, accepted] of Object.entries(binding.claims)) {
    const actual = claimAt(claims, name);
    if (actual === undefined) return { allowed: false, reason: `claim "${name}" is missing` };
    const values = asStrings(actual);
    const matches = values.some((value) => accepted.some((pattern) => (binding.claimsType === "glob" ? globMatch(pattern, value) : pattern === value)));
    if (!matches) return { allowed: false, reason: `claim "${name}" does not match` };
  }
  return { allowed: true };
}

/** A bound claim's key is a claim name, or a JSON pointer (`/a/b`) into nested claims. */
function claimAt(claims: Claims, name: string): unknown {
  if (!name.startsWith("/")) return claims[name];
  let node: unknown = claims;
  for (const part of name.slice(1).split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

function asStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(asStrings);
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return [];
}
