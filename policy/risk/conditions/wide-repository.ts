// Shared by KB102 and KB104: a principal that admits a pattern of repositories, an organization or
// anyone gains access.
import type { PolicyChange } from "../../diff/change.ts";
import { isWideScope, principalFacets, widerScope } from "../../principal/facets.ts";
import { newAccess, type NewAccess } from "../new-access.ts";

const whoClaims = new Set(["repository", "repository_id", "repository_owner", "repository_owner_id", "enterprise", "enterprise_id", "sub", "principal"]);

export function wideRepositoryGain(change: PolicyChange): NewAccess | undefined {
  const gain = newAccess(change);
  if (!gain || !principalFacets(gain.principal).oidc) return undefined;
  const scope = principalFacets(gain.principal).repositoryScope;
  if (!isWideScope(scope)) return undefined;
  if (gain.before && !widerScope(scope, principalFacets(gain.before).repositoryScope)) {
    const whoWidened = gain.constraints.some((constraint) => whoClaims.has(constraint.constraint) && constraint.comparison !== "narrower");
    if (!whoWidened) return undefined;
  }
  return gain;
}
