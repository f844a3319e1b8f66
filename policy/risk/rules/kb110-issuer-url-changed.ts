import type { RiskRule } from "../rule.ts";

export const issuerUrlChanged: RiskRule = {
  id: "KB110",
  level: "high",
  title: "Issuer URL changed",
  trigger: "An issuer keeps its name but points to another URL.",
  why: "Every grant naming the issuer now trusts tokens signed by another service, a change that is invisible in the grants themselves.",
  kinds: ["issuer.url-changed"],
  check(change) {
    return change.kind === "issuer.url-changed" ? { reason: () => change.summary } : undefined;
  },
};
