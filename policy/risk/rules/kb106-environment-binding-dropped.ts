import { phrase } from "../../phrase.ts";
import { binding, who } from "../../principal/describe.ts";
import { principalFacets } from "../../principal/facets.ts";
import { accessWords, newAccess, onProtected } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";

export const environmentBindingDropped: RiskRule = {
  id: "KB106",
  level: "high",
  title: "GitHub environment no longer required on a protected grant",
  trigger: "A grant covering a protected environment stops requiring an exact GitHub environment (the `environment` claim, or an `environment:` subject).",
  why: "A GitHub environment carries required reviewers, wait timers and branch rules; without it a job reaches production secrets without those checks.",
  kinds: ["principal.widened"],
  check(change) {
    const gain = change.kind === "principal.widened" ? newAccess(change) : undefined;
    if (!gain?.before || !principalFacets(gain.before).environmentBound || principalFacets(gain.principal).environmentBound) return undefined;
    const exposed = onProtected(gain.entries);
    if (exposed.length === 0) return undefined;
    const before = binding(gain.before).only;
    return {
      reason: () => phrase`${who(gain.principal)} ${binding(gain.principal).on} may now ${accessWords(gain, exposed)} without a GitHub environment (before: ${before})`,
      before,
      after: binding(gain.principal).only,
    };
  },
};
