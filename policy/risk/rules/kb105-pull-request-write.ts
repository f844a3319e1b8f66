import { phrase } from "../../phrase.ts";
import { who } from "../../principal/describe.ts";
import { accessWords, onProtected, origin, writes, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";
import { pullRequestGain, pullRequestsAdmitted } from "../conditions/pull-request.ts";

export const pullRequestWrite: RiskRule = {
  id: "KB105",
  level: "high",
  title: "Pull request jobs may write or delete secrets",
  trigger: "A CI principal that admits pull_request (or pull_request_target) jobs gains write or delete on an environment that is not protected.",
  why: "Unreviewed code from a pull request could overwrite or delete secrets that other jobs and people rely on.",
  kinds: newAccessKinds,
  check(change) {
    const gain = pullRequestGain(change);
    const changed = gain ? writes(gain.entries) : [];
    if (!gain || changed.length === 0 || onProtected(gain.entries).length > 0) return undefined;
    return {
      reason: () => phrase`pull_request jobs of ${who(gain.principal)} may now ${accessWords(gain, changed)}${origin(gain, () => pullRequestsAdmitted(false))}`,
      before: gain.before ? pullRequestsAdmitted(false) : [],
      after: pullRequestsAdmitted(true),
    };
  },
};
