// diffPolicies: what a pull request changes in secret access, in a reviewer's terms. Both documents
// are canonicalized first, so documents that differ only in order have no changes; the result is
// ordered by document, then project name, then environments, secrets and grants by name.
import { canonicalize, PrincipalTable } from "../canonical.ts";
import type { PolicyDocument, Project } from "../document.ts";
import { grantsByPrincipal, projectScope } from "./access.ts";
import type { PolicyChange } from "./change.ts";
import { addGrantChanges, type ProjectSide } from "./grants.ts";
import { matchGrants } from "./match-grants.ts";
import { sameJson } from "./same-json.ts";
import { documentChanges, projectChanges } from "./structure.ts";

export type * from "./change.ts";
export { changeKinds, isChange } from "./change.ts";
export { grantAccess, projectScope } from "./access.ts";
export { matchGrants, type GrantPair } from "./match-grants.ts";

const noProject: ProjectSide = { scope: { name: "", environments: new Map(), secrets: new Set(), cells: [] }, held: new Map() };

function side(project: Project | undefined): ProjectSide {
  if (!project) return noProject;
  const scope = projectScope(project);
  return { scope, held: grantsByPrincipal(project) };
}

export function diffPolicies(base: PolicyDocument, head: PolicyDocument): PolicyChange[] {
  const principals = new PrincipalTable();
  const [before, after] = [canonicalize(base, principals), canonicalize(head, principals)];
  const changes = documentChanges(before, after);
  const was = new Map(before.projects.map((project) => [project.name, project]));
  const now = new Map(after.projects.map((project) => [project.name, project]));
  for (const name of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const [old, current] = [was.get(name), now.get(name)];
    // Most of a large policy is untouched by a pull request: an equal project has no changes.
    if (sameJson(old, current)) continue;
    // Unchanged environments and secrets: no project changes, and one scope for both sides, which
    // tells addGrantChanges that a grant written as before gains and loses nothing.
    const sameScope = old && current && sameJson(old.environments, current.environments) && sameJson(old.secrets, current.secrets);
    if (!sameScope) changes.push(...projectChanges(old, current));
    const baseSide = side(old);
    const headSide = sameScope ? { scope: baseSide.scope, held: grantsByPrincipal(current) } : side(current);
    const pairs = matchGrants(old?.grants ?? [], current?.grants ?? [], principals);
    for (let i = 0; i < pairs.length; i++) addGrantChanges(changes, name, pairs[i]!, baseSide, headSide);
  }
  return changes;
}
