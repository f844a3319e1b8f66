import { holder } from "../../principal/describe.ts";
import { phrase } from "../../phrase.ts";
import { accessWords, newAccess, onProtected, origin, writes, newAccessKinds } from "../new-access.ts";
import type { RiskRule } from "../rule.ts";

export const write: RiskRule = {
  id: "KB111",
  level: "medium",
  title: "Write or delete gained",
  trigger: "A principal gains write or delete on secrets of environments that are not protected.",
  why: "Writing secrets lets a job replace values other jobs and people rely on; grant it only to the job that rotates them.",
  kinds: newAccessKinds,
  check(change) {
    const gain = newAccess(change);
    const changed = gain ? writes(gain.entries) : [];
    if (!gain || changed.length === 0 || onProtected(changed).length > 0) return undefined;
    return { reason: () => phrase`${holder(gain.principal)} may now ${accessWords(gain, changed)}${origin(gain)}` };
  },
};
