import { who } from "../../principal/describe.ts";
import { phrase } from "../../phrase.ts";
import { accessWords, onProtected, origin, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";
import { wideRepositoryGain } from "../conditions/wide-repository.ts";

export const wideRepository: RiskRule = {
  id: "KB104",
  level: "high",
  title: "Wildcard repository or whole organization gains access",
  trigger: "A CI principal matching a repository pattern, an organization or enterprise, or any repository gains access to an environment that is not protected.",
  why: "Every repository it matches, including ones created later, can read these secrets; a secret shared that widely is hard to rotate and its leaks are hard to trace.",
  kinds: newAccessKinds,
  check(change) {
    const gain = wideRepositoryGain(change);
    if (!gain || onProtected(gain.entries).length > 0) return undefined;
    return {
      reason: () => phrase`${who(gain.principal)} may now ${accessWords(gain, gain.entries)}${origin(gain, who)}`,
      before: gain.before ? who(gain.before) : [],
      after: who(gain.principal),
    };
  },
};
