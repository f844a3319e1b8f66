import type { RiskRule } from "../rule.ts";
import { growsMuch, lifetimeGrowth, lifetimeGrowthKinds } from "../conditions/token-lifetime.ts";

export const tokenLifetimeGrowsMuch: RiskRule = {
  id: "KB109",
  level: "high",
  title: "Token lifetime grows a lot",
  trigger: "A grant's token TTL or max TTL grows to more than 1 h, or to more than 4 times what it was.",
  why: "A leaked token works until it expires; CI jobs rarely need more than minutes, and a long lifetime turns a log leak into hours of access.",
  kinds: lifetimeGrowthKinds,
  check(change) {
    const growth = lifetimeGrowth(change);
    return growth && growsMuch(growth) ? { reason: () => growth.summary } : undefined;
  },
};
