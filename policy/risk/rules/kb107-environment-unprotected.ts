import type { RiskRule } from "../rule.ts";

export const environmentUnprotected: RiskRule = {
  id: "KB107",
  level: "high",
  title: "Environment no longer protected",
  trigger: "An environment's `protected` flag goes from true to false.",
  why: "Synth stops requiring a ref or environment binding for its grants, so later changes can open it to any branch without a critical finding.",
  kinds: ["environment.unprotected"],
  check(change) {
    return change.kind === "environment.unprotected" ? { reason: () => change.summary } : undefined;
  },
};
