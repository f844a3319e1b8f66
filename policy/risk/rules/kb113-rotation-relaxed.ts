import type { RiskRule } from "../rule.ts";

export const rotationRelaxed: RiskRule = {
  id: "KB113",
  level: "medium",
  title: "Rotation relaxed or removed",
  trigger: "A secret's rotation is removed, its maximum age grows, or it moves from backend rotation to manual rotation.",
  why: "The longer a secret lives, the longer a copy of it that leaked stays useful; manual rotation is the kind that gets skipped.",
  kinds: ["rotation.removed", "rotation.relaxed", "rotation.strategy-changed"],
  check(change) {
    const relaxed =
      change.kind === "rotation.removed" ||
      change.kind === "rotation.relaxed" ||
      (change.kind === "rotation.strategy-changed" && change.rotationAfter?.strategy === "manual");
    return relaxed ? { reason: () => change.summary } : undefined;
  },
};
