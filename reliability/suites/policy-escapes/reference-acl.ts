// A small reference model of Vault's ACL, written from the documentation and nothing else: each
// pattern becomes a regular expression; the matching pattern with the highest precedence applies
// (later wildcard, no trailing glob, fewer `+`, longer, lexicographically larger); the same
// pattern in several policies adds up; deny wins. Slow and obvious on purpose.

export interface ReferenceRule {
  readonly pattern: string;
  readonly capabilities: readonly string[];
}

function toRegExp(pattern: string): RegExp {
  const glob = pattern.endsWith("*");
  const body = (glob ? pattern.slice(0, -1) : pattern)
    .split("/")
    .map((segment) => (segment === "+" ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}${glob ? ".*" : ""}$`, "s");
}

function rank(pattern: string): [number, number, number, number, string] {
  // Vault takes the trailing glob off before it looks for `+` segments.
  const body = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
  const positions = [body.indexOf("+"), pattern.endsWith("*") ? body.length : -1].filter((index) => index >= 0);
  const firstWildcard = positions.length > 0 ? Math.min(...positions) : Number.MAX_SAFE_INTEGER;
  const plus = body.split("/").filter((segment) => segment === "+").length;
  return [firstWildcard, pattern.endsWith("*") ? 0 : 1, -plus, pattern.length, pattern];
}

function higher(a: string, b: string): boolean {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! > rb[i]!;
  return false;
}

export function referenceCapabilities(rules: readonly ReferenceRule[], path: string): Set<string> {
  const matching = rules.filter((rule) => toRegExp(rule.pattern).test(path));
  if (matching.length === 0) return new Set();
  let best = matching[0]!.pattern;
  for (const rule of matching) if (higher(rule.pattern, best)) best = rule.pattern;
  const granted = new Set(matching.filter((rule) => rule.pattern === best).flatMap((rule) => rule.capabilities));
  return granted.has("deny") ? new Set() : granted;
}
