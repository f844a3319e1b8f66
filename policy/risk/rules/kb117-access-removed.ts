import type { RiskRule } from "../rule.ts";

export const accessRemoved: RiskRule = {
  id: "KB117",
  level: "info",
  title: "Access removed",
  trigger: "A grant is removed or covers fewer secrets, environments or capabilities.",
  why: "Less access is safer, but the jobs that used it will fail at their next run; the reviewer checks none still needs it.",
  kinds: ["access.revoked", "access.narrowed"],
  badge: "Removed",
  check(change) {
    return change.kind === "access.revoked" || change.kind === "access.narrowed" ? { reason: () => change.summary } : undefined;
  },
};
