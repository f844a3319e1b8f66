// Risk rules and their application to a diff.
export { assessRisks, highestUnacknowledged } from "./assess.ts";
export { atLeast, compareLevels, isLevel, levelRank, levels, type Level } from "./level.ts";
export type { Finding, RiskRule, RuleHit } from "./rule.ts";
export { riskRules } from "./rules/index.ts";
export { renderRuleTable } from "./rule-table.ts";
