// What a grant lets its principal do, expanded against the project: "*" environments and path
// globs become the environments and secrets declared today, so a plan can say precisely which
// secrets a change exposes.
import { principalKey } from "../canonical.ts";
import type { Grant, Project } from "../document.ts";
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

export { principalKey };

/** The last expansion of each grant: a diff may ask for it twice (the grant's own change, and a finding's). */
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

/** Principal → its grants in the project: together they say what the principal holds there. */
export function grantsByPrincipal(project: Project): Map<string, Grant[]> {
  const held = new Map<string, Grant[]>();
  for (const grant of project.grants) {
    const key = principalKey(grant.principal);
    const grants = held.get(key);
    if (grants) grants.push(grant);
    else held.set(key, [grant]);
  }
  return held;
}

/** Does the grant give this access in this scope (the environment and the secret existing there)? */
function covers(grant: Grant, scope: ProjectScope, entry: AccessEntry): boolean {
  return (
    (grant.environment === "*" || grant.environment === entry.environment) &&
    grant.capabilities.includes(entry.capability) &&
    scope.environments.has(entry.environment) &&
    scope.secrets.has(entry.secret) &&
    grant.paths.some((path) => pathCoversSecret(path, entry.secret))
  );
}

/** The entries that none of the grants gives in the scope: checked directly, no expansion of the grants. */
export function withoutAccess(entries: readonly AccessEntry[], scope: ProjectScope, grants: ReadonlyArray<Grant | undefined>): AccessEntry[] {
  return entries.filter((entry) => !grants.some((grant) => grant !== undefined && covers(grant, scope, entry)));
}
