// Canonical form of a policy document: every list sorted by its natural key and object keys in
// order, so two synths of the same app are byte-identical and diffs show only real changes.
import { capabilities, type Grant, type PolicyDocument, type Principal, type Project } from "./document.ts";

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = <T extends { name: string }>(a: T, b: T) => byText(a.name, b.name);

// Lists already in canonical order are kept as they are: most documents were written canonical.
const inOrder = <T>(list: readonly T[], before: (a: T, b: T) => boolean) => list.every((item, i) => i === 0 || before(list[i - 1]!, item));

function canonicalPrincipal(principal: Principal): Principal {
  if (principal.kind !== "github-oidc") return principal;
  const claims = Object.keys(principal.claims);
  if (inOrder(claims, (a, b) => a < b) && claims.every((claim) => inOrder(principal.claims[claim]!, (a, b) => a < b))) return principal;
  const sorted = Object.fromEntries(
    claims.sort(byText).map((claim) => [claim, [...new Set(principal.claims[claim])].sort(byText)]),
  );
  return { ...principal, claims: sorted };
}

const principalKeys = new WeakMap<Principal, string>();

/** A canonical principal's identity as text: JSON of its fields in a fixed order (claims are sorted). */
function identity(principal: Principal): string {
  switch (principal.kind) {
    case "github-oidc":
      return JSON.stringify([principal.kind, principal.issuer, principal.audience, principal.match, principal.claims]);
    case "sso-group":
      return JSON.stringify([principal.kind, principal.group]);
    default:
      return JSON.stringify([principal.kind, principal.cluster, principal.namespace, principal.serviceAccount]);
  }
}

/** The principal as a comparable key, computed once per principal object: equal principals, equal keys. */
export function principalKey(principal: Principal): string {
  let key = principalKeys.get(principal);
  if (key === undefined) {
    key = identity(canonicalPrincipal(principal));
    principalKeys.set(principal, key);
  }
  return key;
}

/**
 * Principal → the one object that stands for it. Documents repeat a principal in many grants;
 * sharing one object lets whatever is derived from it (keys, facets, wording) be derived once.
 * Looked up by object first (a document read from text already shares one per principal), then by
 * the canonical principal's identity.
 */
export class PrincipalTable {
  readonly #byObject = new WeakMap<Principal, Principal>();
  readonly #byIdentity = new Map<string, Principal>();

  shared(principal: Principal): Principal {
    let shared = this.#byObject.get(principal);
    if (!shared) {
      const canonical = canonicalPrincipal(principal);
      const key = identity(canonical);
      shared = this.#byIdentity.get(key);
      if (!shared) {
        shared = canonical;
        principalKeys.set(shared, key);
        this.#byIdentity.set(key, shared);
      }
      this.#byObject.set(principal, shared);
    }
    return shared;
  }
}

const sortedNames = (names: string[]): string[] => (inOrder(names, (a, b) => a < b) ? names : [...new Set(names)].sort(byText));

const capabilityRank = new Map<string, number>(capabilities.map((capability, rank) => [capability, rank]));
const canonicalCapabilities = (granted: Grant["capabilities"]) =>
  granted.every((capability) => capabilityRank.has(capability)) && inOrder(granted, (a, b) => capabilityRank.get(a)! < capabilityRank.get(b)!) ? granted : capabilities.filter((capability) => granted.includes(capability));

const byRuleAndReason = (a: Grant["acknowledgements"][number], b: Grant["acknowledgements"][number]) => byText(a.rule, b.rule) || byText(a.reason, b.reason);

function canonicalGrant(grant: Grant, principals: PrincipalTable | undefined): Grant {
  const principal = principals ? principals.shared(grant.principal) : canonicalPrincipal(grant.principal);
  const paths = sortedNames(grant.paths);
  const granted = canonicalCapabilities(grant.capabilities);
  const acknowledgements = inOrder(grant.acknowledgements, (a, b) => byRuleAndReason(a, b) <= 0) ? grant.acknowledgements : [...grant.acknowledgements].sort(byRuleAndReason);
  const same = principal === grant.principal && paths === grant.paths && granted === grant.capabilities && acknowledgements === grant.acknowledgements;
  return same ? grant : { ...grant, principal, paths, capabilities: granted, acknowledgements };
}

function canonicalProject(project: Project, principals: PrincipalTable | undefined): Project {
  return {
    ...project,
    environments: [...project.environments].sort(byName),
    secrets: [...project.secrets].sort(byName).map((secret) => {
      const keys = sortedNames(secret.keys);
      return keys === secret.keys ? secret : { ...secret, keys };
    }),
    grants: project.grants.map((grant) => canonicalGrant(grant, principals)).sort((a, b) => byText(a.id, b.id)),
  };
}

/** `principals`, when given, makes equal principals one object (across documents canonicalized with the same table). */
export function canonicalize(document: PolicyDocument, principals?: PrincipalTable): PolicyDocument {
  return {
    ...document,
    issuers: [...document.issuers].sort(byName),
    projects: document.projects.map((project) => canonicalProject(project, principals)).sort(byName),
  };
}

/**
 * Compact JSON with object keys sorted at every level: an order-independent key for comparing and
 * grouping values. Built directly as a string: plans compare tens of thousands of grants.
 */
export function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    // Lists of names (paths, capabilities, claim values) are most of what plans compare: as JSON has them.
    if (value.every((item) => typeof item === "string")) return JSON.stringify(value);
    return `[${value.map((item) => (item === undefined ? "null" : canonicalKey(item))).join(",")}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort(byText)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== "function") parts.push(`${JSON.stringify(key)}:${canonicalKey(item)}`);
  }
  return `{${parts.join(",")}}`;
}

/** What sortedCopy() answers for a value holding a toJSON() method, which JSON.stringify must call in place. */
const hasToJson = Symbol("toJSON");

/** A copy with object keys sorted at every level (JSON.stringify does the rest), or hasToJson. */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return hasToJson;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = sortedCopy(value[index]);
      if (item === hasToJson) return hasToJson;
      copy[index] = item;
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byText)) {
    const item = sortedCopy((value as Record<string, unknown>)[key]);
    if (item === hasToJson) return hasToJson;
    // An own "__proto__" key (JSON.parse makes one) must stay a key, not become the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

/** JSON with object keys sorted at every level, two-space indented, ending in a newline. */
export function stableStringify(value: unknown): string {
  // A sorted copy written by JSON.stringify without a replacer, which costs a call per value.
  const sorted = sortedCopy(value);
  if (sorted !== hasToJson) return `${JSON.stringify(sorted, null, 2)}\n`;
  return `${JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.keys(item).sort(byText).map((key) => [key, (item as Record<string, unknown>)[key]]));
  }, 2)}\n`;
}

export function serializePolicyDocument(document: PolicyDocument): string {
  return stableStringify(canonicalize(document));
}
