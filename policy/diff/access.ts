// What a grant lets its principal do, expanded against the project: "*" environments and path
// globs become the environments and secrets declared today, so a plan can say precisely which
// secrets a change exposes.
import { canonicalKey } from "../canonical.ts";
import type { Grant, Principal, Project } from "../document.ts";
import { pathCoversSecret } from "../paths.ts";
import type { AccessEntry } from "./change.ts";

export interface ProjectScope {
  readonly name: string;
  /** Environment name → protected. */
  readonly environments: ReadonlyMap<string, boolean>;
  readonly secrets: ReadonlySet<string>;
}

export function projectScope(project: Project): ProjectScope {
  return {
    name: project.name,
    environments: new Map(project.environments.map((environment) => [environment.name, environment.protected])),
    secrets: new Set(project.secrets.map((secret) => secret.name)),
  };
}

export const accessKey = (entry: AccessEntry) => `${entry.environment}\u0000${entry.secret}\u0000${entry.capability}`;

/** Principals are the same when their canonical JSON is (documents are canonicalized first). */
const principalKeys = new WeakMap<Principal, string>();

/** The principal as a comparable key, computed once per principal object. */
export function principalKey(principal: Principal): string {
  let key = principalKeys.get(principal);
  if (key === undefined) {
    key = canonicalKey(principal);
    principalKeys.set(principal, key);
  }
  return key;
}

/** The last expansion of each grant: a diff asks for it with the principal's held access, then for the grant's own change. */
const expanded = new WeakMap<Grant, { readonly scope: ProjectScope; readonly entries: readonly AccessEntry[] }>();

export function grantAccess(grant: Grant, scope: ProjectScope): readonly AccessEntry[] {
  const cached = expanded.get(grant);
  if (cached?.scope === scope) return cached.entries;
  const secrets = [...scope.secrets].filter((secret) => grant.paths.some((path) => pathCoversSecret(path, secret)));
  const entries: AccessEntry[] = [];
  for (const [environment, isProtected] of scope.environments) {
    if (grant.environment !== "*" && grant.environment !== environment) continue;
    for (const secret of secrets) for (const capability of grant.capabilities) entries.push({ environment, protected: isProtected, secret, capability });
  }
  expanded.set(grant, { scope, entries });
  return entries;
}

/** Principal → every access it holds through any grant of the project. */
export function accessByPrincipal(project: Project, scope: ProjectScope): Map<string, Set<string>> {
  const held = new Map<string, Set<string>>();
  for (const grant of project.grants) {
    const key = principalKey(grant.principal);
    const keys = held.get(key) ?? new Set<string>();
    for (const entry of grantAccess(grant, scope)) keys.add(accessKey(entry));
    held.set(key, keys);
  }
  return held;
}

export function withoutAccess(entries: readonly AccessEntry[], ...held: ReadonlyArray<ReadonlySet<string> | undefined>): AccessEntry[] {
  return entries.filter((entry) => !held.some((keys) => keys?.has(accessKey(entry))));
}

export const keysOf = (entries: readonly AccessEntry[]) => new Set(entries.map(accessKey));
