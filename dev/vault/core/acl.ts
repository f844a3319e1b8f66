// Decides what a set of policies allows on a request path, with Vault's rules: `*` is a prefix
// glob only as the last character, `+` stands for exactly one path segment; when several patterns
// match, only the one with the highest precedence applies; the same pattern in several policies
// is the union of their capabilities; `deny` anywhere in the applying rule wins over everything.
import type { Capability, PathRule } from "./acl-policy-parse.ts";

export interface Policy {
  readonly name: string;
  readonly rules: readonly PathRule[];
}

export type Operation = "create" | "read" | "update" | "patch" | "delete" | "list";

export function patternMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith("*");
  const patternSegments = (glob ? pattern.slice(0, -1) : pattern).split("/");
  const pathSegments = path.split("/");
  if (glob ? pathSegments.length < patternSegments.length : pathSegments.length !== patternSegments.length) return false;
  return patternSegments.every((segment, index) => {
    const actual = pathSegments[index]!;
    if (segment === "+") return true;
    // Under a glob the last pattern segment is a prefix of the path segment (`secret/zip-*`).
    return glob && index === patternSegments.length - 1 ? actual.startsWith(segment) : actual === segment;
  });
}

interface Shape {
  readonly firstWildcard: number;
  readonly endsInGlob: boolean;
  readonly plusSegments: number;
}

function shapeOf(pattern: string): Shape {
  // As Vault does: the trailing glob is taken off first, so "+*" is a `+` segment under a glob.
  const endsInGlob = pattern.endsWith("*");
  const body = endsInGlob ? pattern.slice(0, -1) : pattern;
  let offset = 0;
  let firstWildcard = Infinity;
  let plusSegments = 0;
  for (const segment of body.split("/")) {
    if (segment === "+") {
      plusSegments++;
      firstWildcard = Math.min(firstWildcard, offset);
    }
    offset += segment.length + 1;
  }
  if (endsInGlob) firstWildcard = Math.min(firstWildcard, body.length);
  return { firstWildcard, endsInGlob, plusSegments };
}

/** Positive when pattern `a` takes precedence over pattern `b` (Vault's documented order). */
export function comparePrecedence(a: string, b: string): number {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  if (sa.firstWildcard !== sb.firstWildcard) return sa.firstWildcard > sb.firstWildcard ? 1 : -1;
  if (sa.endsInGlob !== sb.endsInGlob) return sa.endsInGlob ? -1 : 1;
  if (sa.plusSegments !== sb.plusSegments) return sa.plusSegments > sb.plusSegments ? -1 : 1;
  if (a.length !== b.length) return a.length > b.length ? 1 : -1;
  return a === b ? 0 : a > b ? 1 : -1;
}

/** The capabilities the policies grant on `path` (empty when denied or nothing matches). */
export function capabilitiesOn(policies: readonly Policy[], path: string): ReadonlySet<Capability> {
  let best: string | undefined;
  const granted = new Set<Capability>();
  for (const rule of policies.flatMap((policy) => policy.rules)) {
    if (!patternMatches(rule.pattern, path)) continue;
    const order = best === undefined ? 1 : comparePrecedence(rule.pattern, best);
    if (order < 0) continue;
    if (order > 0) {
      best = rule.pattern;
      granted.clear();
    }
    for (const capability of rule.capabilities) granted.add(capability);
  }
  return granted.has("deny") ? new Set() : granted;
}

export function isRoot(policies: readonly Policy[]): boolean {
  return policies.some((policy) => policy.name === "root");
}

export function allows(policies: readonly Policy[], path: string, operation: Operation, needsSudo: boolean): boolean {
  if (isRoot(policies)) return true;
  const granted = capabilitiesOn(policies, path);
  return granted.has(operation) && (!needsSudo || granted.has("sudo"));
}

/**
 * Whether any rule could grant something under `mountPath`: Vault's check before it tells a
 * token which engine is mounted where (sys/internal/ui/mounts).
 */
export function hasAccessUnder(policies: readonly Policy[], mountPath: string): boolean {
  if (isRoot(policies)) return true;
  return policies.some((policy) =>
    policy.rules.some((rule) => {
      if (rule.capabilities.has("deny") || rule.capabilities.size === 0) return false;
      const shape = shapeOf(rule.pattern);
      const literal = rule.pattern.slice(0, Number.isFinite(shape.firstWildcard) ? shape.firstWildcard : undefined);
      return literal.startsWith(mountPath) || mountPath.startsWith(literal);
    }),
  );
}
