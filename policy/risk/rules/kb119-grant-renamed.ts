import type { RiskRule } from "../rule.ts";

export const grantRenamed: RiskRule = {
  id: "KB119",
  level: "info",
  title: "Grant renamed",
  trigger: "A grant keeps its principal, environment, paths and capabilities under a new id.",
  why: "The backend role and policy are named after the grant id: workflows that log in with the old role name fail until they name the new one.",
  kinds: ["grant.renamed"],
  badge: "Renamed",
  check(change) {
    return change.kind === "grant.renamed" ? { reason: () => change.summary } : undefined;
  },
};
