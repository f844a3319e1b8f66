import type { RiskRule } from "../rule.ts";
import { growsMuch, lifetimeGrowth, lifetimeGrowthKinds } from "../conditions/token-lifetime.ts";

export const tokenLifetimeGrows: RiskRule = {
  id: "KB112",
  level: "medium",
  title: "Token lifetime grows",
  trigger: "A grant's token TTL or max TTL grows, staying at 1 h or less and within 4 times what it was.",
  why: "A leaked token works until it expires; keep lifetimes as short as the job needs.",
  kinds: lifetimeGrowthKinds,
  check(change) {
    const growth = lifetimeGrowth(change);
    return growth && !growsMuch(growth) ? { reason: () => growth.summary } : undefined;
  },
};
