// What a grant lets its principal do, expanded against the project: "*" environments and path
// globs become the environments and secrets declared today, so a plan can say precisely which
// secrets a change exposes.
import { capabilities, type Grant, type Principal, type Project } from "../document.ts";
import { pathsCoverSecret } from "../paths.ts";
import type { AccessEntry } from "./change.ts";

export interface ProjectScope {
  readonly name: string;
  /** Environment name → protected. */
  readonly environments: ReadonlyMap<string, boolean>;
  readonly secrets: ReadonlySet<string>;
  /** Per environment, per secret (in declaration order): its entry per capability, made on first use and shared by every grant that gives it. */
  readonly cells: readonly EnvironmentCells[];
}

interface EnvironmentCells {
  readonly environment: string;
  readonly protected: boolean;
  /** Per secret, its entries by capability rank (see `capabilities`), made when first given. */
  readonly secrets: ReadonlyArray<{ readonly secret: string; readonly entries: Array<AccessEntry | undefined> }>;
}

export function projectScope(project: Project): ProjectScope {
  const environments = new Map(project.environments.map((environment) => [environment.name, environment.protected]));
  const secrets = new Set(project.secrets.map((secret) => secret.name));
  const cells = [...environments].map(([environment, isProtected]) => ({
    environment,
    protected: isProtected,
    // An array, not a Map: a plan makes one per secret per environment of every changed project.
    secrets: [...secrets].map((secret) => ({ secret, entries: [] })),
  }));
  return { name: project.name, environments, secrets, cells };
}

// The loops below run per changed grant, mostly before the optimizing compiler has seen them:
// indexed, because a for-of loop there makes an iterator result per item.

export function grantAccess(grant: Grant, scope: ProjectScope): readonly AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (let e = 0; e < scope.cells.length; e++) {
    const cells = scope.cells[e]!;
    if (grant.environment !== "*" && grant.environment !== cells.environment) continue;
    for (let s = 0; s < cells.secrets.length; s++) {
      const { secret, entries: shared } = cells.secrets[s]!;
      if (!pathsCoverSecret(grant.paths, secret)) continue;
      for (let c = 0; c < grant.capabilities.length; c++) {
        const capability = grant.capabilities[c]!;
        const rank = capabilities.indexOf(capability);
        let entry = shared[rank];
        if (!entry) shared[rank] = entry = { environment: cells.environment, protected: cells.protected, secret, capability };
        entries.push(entry);
      }
    }
  }
  return entries;
}

/**
 * Principal → its grants in the project: together they say what the principal holds there. By
 * object: the diff's principals are shared (see PrincipalTable), so equal ones are one object.
 */
export function grantsByPrincipal(project: Project): Map<Principal, Grant[]> {
  const held = new Map<Principal, Grant[]>();
  for (let i = 0; i < project.grants.length; i++) {
    const grant = project.grants[i]!;
    const grants = held.get(grant.principal);
    if (grants) grants.push(grant);
    else held.set(grant.principal, [grant]);
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
    pathsCoverSecret(grant.paths, entry.secret)
  );
}

/**
 * The entries that neither `grant` nor any of `others` gives in the scope: checked directly, no
 * expansion of the grants.
 */
export function withoutAccess(entries: readonly AccessEntry[], scope: ProjectScope, grant: Grant | undefined, others: readonly Grant[]): AccessEntry[] {
  const missing: AccessEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (grant !== undefined && covers(grant, scope, entry)) continue;
    if (!coveredByAny(others, scope, entry)) missing.push(entry);
  }
  return missing;
}

function coveredByAny(grants: readonly Grant[], scope: ProjectScope, entry: AccessEntry): boolean {
  for (let i = 0; i < grants.length; i++) if (covers(grants[i]!, scope, entry)) return true;
  return false;
}
