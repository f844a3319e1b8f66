// Shared by KB114 and KB115: a claim that pinned a protected grant to something exact no longer does.
import type { PolicyChange } from "../../diff/change.ts";
import type { Principal } from "../../document.ts";
import { nameList, phrase, type Phrase } from "../../phrase.ts";
import { principalFacets, type PrincipalFacets } from "../../principal/facets.ts";
import { describeAccess } from "../../diff/wording.ts";
import { newAccess, onProtected } from "../new-access.ts";
import type { RuleHit } from "../rule.ts";

const claimWords = (principal: Principal, claim: string): Phrase => {
  const values = principal.kind === "github-oidc" ? principal.claims[claim] : undefined;
  return values ? nameList(values, 3, " or ") : ["any"];
};

export function unpinned(change: PolicyChange, pinned: (facets: PrincipalFacets) => boolean, claim: string, what: string): RuleHit | undefined {
  const gain = change.kind === "principal.widened" ? newAccess(change) : undefined;
  if (!gain?.before || !pinned(principalFacets(gain.before)) || pinned(principalFacets(gain.principal))) return undefined;
  const exposed = onProtected(gain.entries);
  if (exposed.length === 0) return undefined;
  const { before } = gain;
  return {
    reason: () => phrase`grant ${gain.grant.id} no longer pins the ${[what]} for ${describeAccess(gain.project, exposed, { on: true })} (${claim}: ${claimWords(before, claim)} → ${claimWords(gain.principal, claim)})`,
    before: claimWords(before, claim),
    after: claimWords(gain.principal, claim),
  };
}
