import { phrase } from "../../phrase.ts";
import { principalFacets } from "../../principal/facets.ts";
import { binding, who } from "../../principal/describe.ts";
import { accessWords, newAccess, newAccessKinds, onProtected, origin, reads } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";

export const protectedFromAnyBranch: RiskRule = {
  id: "KB101",
  level: "critical",
  title: "Protected environment readable from any branch",
  trigger: "A CI principal with no exact ref and no exact GitHub environment (a ref glob, or no binding at all) gains read on a protected environment.",
  why: "Anyone who can push a branch can run a workflow on it; without an exact ref or an environment with its own protection rules, that branch's jobs read production secrets.",
  kinds: newAccessKinds,
  check(change) {
    const gain = newAccess(change);
    if (!gain || principalFacets(gain.principal).bound || !principalFacets(gain.principal).oidc) return undefined;
    if (gain.before && !principalFacets(gain.before).bound) return undefined;
    const exposed = reads(onProtected(gain.entries));
    if (exposed.length === 0) return undefined;
    const now = binding(gain.principal);
    return {
      reason: () => phrase`${who(gain.principal)} ${now.on} may now ${accessWords(gain, exposed)}${origin(gain, (before) => binding(before).only)}`,
      before: gain.before ? binding(gain.before).only : [],
      after: now.only,
    };
  },
};
