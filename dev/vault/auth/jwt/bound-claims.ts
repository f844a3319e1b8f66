// A JWT role's bound_claims: every key must match (AND), a list of values is any-of (OR), keys that
// start with "/" are JSON pointers into nested claims, and with bound_claims_type "glob" a value's
// `*` matches any run of characters, "/" and ":" included. Messages are the JWT plugin's.

export type ClaimValue = string | number | boolean;
export type BoundClaims = Readonly<Record<string, ClaimValue | readonly ClaimValue[]>>;
export type BoundClaimsType = "string" | "glob";

/** A claim by name, or by JSON pointer ("/a/b") into nested objects and arrays. */
export function getClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (!name.startsWith("/")) return claims[name];
  let current: unknown = claims;
  for (const raw of name.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (typeof current === "object" && current !== null && !Array.isArray(current)) current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

/** Go's ryanuber/go-glob: `*` is the only wildcard and matches anything, including nothing. */
export function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let position = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found < 0) return false;
    position = found + middle.length;
  }
  return value.length - last.length >= position && value.endsWith(last);
}

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [value];
  return undefined;
}

function valueMatches(expected: unknown, actual: unknown, glob: boolean): boolean {
  if (glob) return typeof expected === "string" && typeof actual === "string" && globMatch(expected, actual);
  // Typed equality, as in the plugin: the string "1" does not match the number 1.
  return typeof expected === typeof actual && expected === actual;
}

/** Undefined when every bound claim matches; else the plugin's reason (without its prefix). */
export function boundClaimsMismatch(
  bound: BoundClaims,
  type: BoundClaimsType,
  claims: Readonly<Record<string, unknown>>,
): string | undefined {
  for (const [name, expected] of Object.entries(bound)) {
    const actual = getClaim(claims, name);
    if (actual === undefined || actual === null) return `claim "${name}" is missing`;
    const actualValues = asList(actual);
    if (!actualValues) return `received claim is not a string, bool, int or list: ${JSON.stringify(actual)}`;
    const expectedValues = asList(expected) ?? [];
    const found = expectedValues.some((want) => actualValues.some((have) => valueMatches(want, have, type === "glob")));
    if (!found) return `claim "${name}" does not match any associated bound claim values`;
  }
  return undefined;
}
