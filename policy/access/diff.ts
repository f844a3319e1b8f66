// Two access graphs compared the way a reviewer asks: who gains or loses which capability on which
// path (declared secrets, and rule patterns for what is not declared), which roles now admit other
// jobs, and which invariants the change breaks or mends.
import { canonicalKey } from "../canonical.ts";
import type { AccessCapability, AccessGraph, AccessRole } from "./graph.ts";
import { describePrincipal } from "./describe.ts";
import { AccessQuery } from "./query.ts";
import { runChecks, type InvariantFinding } from "./invariants/check.ts";
import type { ChecksFile } from "./invariants/declared.ts";

export interface AccessEdge {
  readonly principal: string;
  readonly role: string;
  readonly source: string;
  /** A declared secret's API path, or a rule pattern where the configuration declares none under it. */
  readonly path: string;
  readonly capability: AccessCapability;
}

export interface RoleWidening {
  readonly role: string;
  readonly source: string;
  readonly before: string;
  readonly after: string;
}

export interface AccessPlan {
  readonly gained: readonly AccessEdge[];
  readonly lost: readonly AccessEdge[];
  /** Roles kept under the same id whose login admits other jobs than before. */
  readonly rebound: readonly RoleWidening[];
  /** Invariant findings of the head that the base did not have. */
  readonly broken: readonly InvariantFinding[];
  /** Findings of the base that the head no longer has. */
  readonly mended: readonly InvariantFinding[];
}

function edgesOf(graph: AccessGraph): Map<string, AccessEdge> {
  const query = new AccessQuery(graph);
  const edges = new Map<string, AccessEdge>();
  for (const role of graph.roles) {
    const principal = describePrincipal(role.principal);
    const add = (path: string, capability: AccessCapability) => edges.set(`${role.id}\u0000${path}\u0000${capability}`, { principal, role: role.id, source: role.source, path, capability });
    const reached = query.reach(role);
    for (const access of reached) for (const capability of access.capabilities) add(access.path, capability);
    // Vault rules that reach no declared secret still say what the role may do (Infisical rules
    // are conditions, not paths: its declared secrets are all there is to reach).
    if (role.infisical) continue;
    const covered = new Set(reached.map((access) => access.pattern));
    for (const rule of query.rules(role)) {
      if (covered.has(rule.pattern) || rule.capabilities.includes("deny")) continue;
      const access = query.accessOn(role, rule.pattern);
      for (const capability of access?.capabilities ?? []) add(rule.pattern, capability);
    }
  }
  return edges;
}

const findingKey = (finding: InvariantFinding) => `${finding.id}\u0000${finding.violation.role.id}\u0000${finding.violation.path ?? ""}`;
const byRole = (graph: AccessGraph | undefined) => new Map((graph?.roles ?? []).map((role): [string, AccessRole] => [role.id, role]));

export function diffAccess(base: AccessGraph | undefined, head: AccessGraph, checks?: { base?: ChecksFile; head?: ChecksFile }): AccessPlan {
  const before = base ? edgesOf(base) : new Map<string, AccessEdge>();
  const after = edgesOf(head);
  const gained = [...after].filter(([key]) => !before.has(key)).map(([, edge]) => edge);
  const lost = [...before].filter(([key]) => !after.has(key)).map(([, edge]) => edge);
  const baseRoles = byRole(base);
  const rebound = head.roles.flatMap((role) => {
    const old = baseRoles.get(role.id);
    if (!old || canonicalKey(old.principal) === canonicalKey(role.principal)) return [];
    return [{ role: role.id, source: role.source, before: describePrincipal(old.principal), after: describePrincipal(role.principal) }];
  });
  const baseFindings = base ? runChecks(base, checks?.base).findings : [];
  const headFindings = runChecks(head, checks?.head).findings;
  const baseKeys = new Set(baseFindings.map(findingKey));
  const headKeys = new Set(headFindings.map(findingKey));
  return {
    gained,
    lost,
    rebound,
    broken: headFindings.filter((finding) => !baseKeys.has(findingKey(finding))),
    mended: baseFindings.filter((finding) => !headKeys.has(findingKey(finding))),
  };
}
