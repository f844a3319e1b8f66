// What a set of Vault ACL policies allows on one path, decided the way Vault's ACL does: an exact
// pattern wins outright; otherwise, of the patterns that match (`*` a prefix glob only as the last
// character, `+` exactly one segment), only the most specific applies; rules for the same pattern
// in several policies add up, and `deny` in the applying rule removes everything.
import type { VaultCapability, VaultPathRule } from "./policy-text.ts";

export interface NamedPolicy {
  readonly name: string;
  readonly rules: readonly VaultPathRule[];
}

export interface AclDecision {
  readonly capabilities: ReadonlySet<VaultCapability>;
  /** The pattern that decided, and the policies that contributed to it; undefined when none matched. */
  readonly pattern?: string;
  readonly policies: readonly string[];
}

interface MergedRule {
  readonly pattern: string;
  readonly capabilities: Set<VaultCapability>;
  readonly policies: string[];
}

/** A wildcard pattern taken apart once, so a decision only compares segments. */
interface CompiledWildcard {
  readonly rule: MergedRule;
  readonly prefix: boolean;
  readonly segments: readonly string[];
}

const everything: ReadonlySet<VaultCapability> = new Set(["create", "read", "update", "patch", "delete", "list", "sudo"]);

/** Rules merged by pattern across policies, ready to answer many paths. */
export class VaultAcl {
  private readonly wildcards: CompiledWildcard[] = [];
  private readonly exact = new Map<string, MergedRule>();
  private readonly root: boolean;

  constructor(policies: readonly NamedPolicy[]) {
    this.root = policies.some((policy) => policy.name === "root");
    const byPattern = new Map<string, MergedRule>();
    for (const policy of policies) {
      for (const rule of policy.rules) {
        let merged = byPattern.get(rule.pattern);
        if (!merged) byPattern.set(rule.pattern, (merged = { pattern: rule.pattern, capabilities: new Set(), policies: [] }));
        for (const capability of rule.capabilities) merged.capabilities.add(capability);
        if (!merged.policies.includes(policy.name)) merged.policies.push(policy.name);
      }
    }
    for (const rule of byPattern.values()) {
      if (!isWildcardPattern(rule.pattern)) this.exact.set(rule.pattern, rule);
      else {
        const prefix = rule.pattern.endsWith("*");
        this.wildcards.push({ rule, prefix, segments: (prefix ? rule.pattern.slice(0, -1) : rule.pattern).split("/") });
      }
    }
  }

  decide(path: string, listing = false): AclDecision {
    if (this.root) return { capabilities: everything, pattern: "*", policies: ["root"] };
    const rule = this.exact.get(path) ?? (listing ? this.exact.get(path.replace(/\/$/, "")) : undefined) ?? this.mostSpecificWildcard(path);
    if (!rule) return { capabilities: new Set(), policies: [] };
    const capabilities = rule.capabilities.has("deny") ? new Set<VaultCapability>() : rule.capabilities;
    return { capabilities, pattern: rule.pattern, policies: rule.policies };
  }

  private mostSpecificWildcard(path: string): MergedRule | undefined {
    if (this.wildcards.length === 0) return undefined;
    const segments = path.split("/");
    let best: MergedRule | undefined;
    for (const wildcard of this.wildcards) {
      if (!segmentsMatch(wildcard.segments, wildcard.prefix, segments)) continue;
      if (!best || moreSpecific(wildcard.rule.pattern, best.pattern)) best = wildcard.rule;
    }
    return best;
  }
}

// Vault files any pattern holding a `+` with the segment wildcards (matched segment by segment,
// so a `+` inside a segment is literal there), and a trailing `*` without one as a prefix.
export const isWildcardPattern = (pattern: string) => pattern.endsWith("*") || pattern.includes("+");

export function wildcardMatches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith("*");
  return segmentsMatch((prefix ? pattern.slice(0, -1) : pattern).split("/"), prefix, path.split("/"));
}

function segmentsMatch(wanted: readonly string[], prefix: boolean, actual: readonly string[]): boolean {
  if (prefix ? actual.length < wanted.length : actual.length !== wanted.length) return false;
  for (let index = 0; index < wanted.length; index += 1) {
    const segment = wanted[index]!;
    if (segment === "+") continue;
    const last = index === wanted.length - 1;
    if (prefix && last ? !actual[index]!.startsWith(segment) : actual[index] !== segment) return false;
  }
  return true;
}

interface Specificity {
  /** Where the first `+` (anywhere) or else the trailing glob stands. */
  readonly firstWildcard: number;
  readonly prefix: boolean;
  readonly plusSegments: number;
  /** The pattern without its trailing glob. */
  readonly body: string;
}

function specificity(pattern: string): Specificity {
  const prefix = pattern.endsWith("*");
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const plus = pattern.indexOf("+");
  return { firstWildcard: plus >= 0 ? plus : prefix ? body.length : Infinity, prefix, plusSegments: body.split("/").filter((segment) => segment === "+").length, body };
}

/** True when `a` takes precedence over `b`: a later first wildcard, no trailing glob, fewer `+` segments, longer, then greater. */
export function moreSpecific(a: string, b: string): boolean {
  const x = specificity(a);
  const y = specificity(b);
  if (x.firstWildcard !== y.firstWildcard) return x.firstWildcard > y.firstWildcard;
  if (x.prefix !== y.prefix) return !x.prefix;
  if (x.plusSegments !== y.plusSegments) return x.plusSegments < y.plusSegments;
  if (x.body.length !== y.body.length) return x.body.length > y.body.length;
  return x.body > y.body;
}
