import { phrase } from "../../phrase.ts";
import { accessWords, newAccess, onProtected, origin, writes, newAccessKinds } from "../new-access.ts";
import { holder } from "../../principal/describe.ts";
import type { RiskRule } from "../rule.ts";

export const writeOnProtected: RiskRule = {
  id: "KB108",
  level: "high",
  title: "Write or delete on a protected environment",
  trigger: "A principal gains write or delete on a secret of a protected environment (new grant, wider grant, or a principal that admits other jobs).",
  why: "A job that can write production secrets can replace a credential with one it controls or delete it and cause an outage; reading is rarely all such a job needs.",
  kinds: newAccessKinds,
  check(change) {
    const gain = newAccess(change);
    const changed = gain ? onProtected(writes(gain.entries)) : [];
    if (!gain || changed.length === 0) return undefined;
    return { reason: () => phrase`${holder(gain.principal)} may now ${accessWords(gain, changed)}${origin(gain)}` };
  },
};
