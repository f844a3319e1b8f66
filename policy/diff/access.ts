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

export function grantAccess(grant: Grant, scope: ProjectScope): AccessEntry[] {
  const environments = [...scope.environments].filter(([name]) => grant.environment === "*" || grant.environment === name);
  const secrets = [...scope.secrets].filter((secret) => grant.paths.some((path) => pathCoversSecret(path, secret)));
  return environments.flatMap(([environment, isProtected]) =>
    secrets.flatMap((secret) => grant.capabilities.map((capability) => ({ environment, protected: isProtected, secret, capability }))),
  );
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
