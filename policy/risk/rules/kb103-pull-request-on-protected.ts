import { phrase } from "../../phrase.ts";
import { who } from "../../principal/describe.ts";
import { accessWords, onProtected, origin, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";
import { pullRequestGain, pullRequestsAdmitted } from "../conditions/pull-request.ts";

export const pullRequestOnProtected: RiskRule = {
  id: "KB103",
  level: "critical",
  title: "Pull request jobs reach a protected environment",
  trigger: "A CI principal that admits pull_request (or pull_request_target) jobs gains access to a protected environment.",
  why: "A pull request runs the code of its branch before review; a token it can mint for production lets unreviewed code read or change production secrets.",
  kinds: newAccessKinds,
  check(change) {
    const gain = pullRequestGain(change);
    const exposed = gain ? onProtected(gain.entries) : [];
    if (!gain || exposed.length === 0) return undefined;
    return {
      reason: () => phrase`pull_request jobs of ${who(gain.principal)} may now ${accessWords(gain, exposed)}${origin(gain, () => pullRequestsAdmitted(false))}`,
      before: gain.before ? pullRequestsAdmitted(false) : [],
      after: pullRequestsAdmitted(true),
    };
  },
};
