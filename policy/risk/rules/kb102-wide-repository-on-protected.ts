import { who } from "../../principal/describe.ts";
import { phrase } from "../../phrase.ts";
import { accessWords, onProtected, origin, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";
import { wideRepositoryGain } from "../conditions/wide-repository.ts";

export const wideRepositoryOnProtected: RiskRule = {
  id: "KB102",
  level: "critical",
  title: "Wildcard repository or whole organization on a protected environment",
  trigger: "A CI principal matching a repository pattern, an organization or enterprise, or any repository gains access to a protected environment.",
  why: "Every repository it matches, including ones created later, can mint a token that reaches production: whoever can create or push to any of them holds production secrets.",
  kinds: newAccessKinds,
  check(change) {
    const gain = wideRepositoryGain(change);
    const exposed = gain ? onProtected(gain.entries) : [];
    if (!gain || exposed.length === 0) return undefined;
    return {
      reason: () => phrase`${who(gain.principal)} may now ${accessWords(gain, exposed)}${origin(gain, who)}`,
      before: gain.before ? who(gain.before) : [],
      after: who(gain.principal),
    };
  },
};
