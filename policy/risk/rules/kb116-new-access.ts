import { holder } from "../../principal/describe.ts";
import { phrase } from "../../phrase.ts";
import { accessWords, newAccess, origin, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";

export const newAccessRule: RiskRule = {
  id: "KB116",
  level: "low",
  title: "New access",
  trigger: "Any other change that lets a principal read or list secrets it could not before (only when no other rule flagged the change).",
  why: "Every reader is one more place a secret can leak from; the reviewer confirms the job needs it.",
  kinds: newAccessKinds,
  fallback: true,
  check(change) {
    const gain = newAccess(change);
    if (!gain || gain.entries.length === 0) return undefined;
    return { reason: () => phrase`${holder(gain.principal)} may now ${accessWords(gain, gain.entries)}${origin(gain)}` };
  },
};
