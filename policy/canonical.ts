// Canonical form of a policy document: every list sorted by its natural key and object keys in
// order, so two synths of the same app are byte-identical and diffs show only real changes.
import { capabilities, type Grant, type PolicyDocument, type Principal, type Project } from "./document.ts";

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = <T extends { name: string }>(a: T, b: T) => byText(a.name, b.name);

function canonicalPrincipal(principal: Principal): Principal {
  if (principal.kind !== "github-oidc") return principal;
  const claims = Object.fromEntries(
    Object.keys(principal.claims).sort(byText).map((claim) => [claim, [...new Set(principal.claims[claim])].sort(byText)]),
  );
  return { ...principal, claims };
}

function canonicalGrant(grant: Grant): Grant {
  return {
    ...grant,
    principal: canonicalPrincipal(grant.principal),
    paths: [...new Set(grant.paths)].sort(byText),
    capabilities: capabilities.filter((capability) => grant.capabilities.includes(capability)),
    acknowledgements: [...grant.acknowledgements].sort((a, b) => byText(a.rule, b.rule) || byText(a.reason, b.reason)),
  };
}

function canonicalProject(project: Project): Project {
  return {
    ...project,
    environments: [...project.environments].sort(byName),
    secrets: [...project.secrets].sort(byName).map((secret) => ({ ...secret, keys: [...new Set(secret.keys)].sort(byText) })),
    grants: project.grants.map(canonicalGrant).sort((a, b) => byText(a.id, b.id)),
  };
}

export function canonicalize(document: PolicyDocument): PolicyDocument {
  return {
    ...document,
    issuers: [...document.issuers].sort(byName),
    projects: document.projects.map(canonicalProject).sort(byName),
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

/** JSON with object keys sorted at every level, two-space indented, ending in a newline. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.keys(item).sort(byText).map((key) => [key, (item as Record<string, unknown>)[key]]));
  }, 2)}\n`;
}

export function serializePolicyDocument(document: PolicyDocument): string {
  return stableStringify(canonicalize(document));
}
