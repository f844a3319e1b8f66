// docs/RISK_RULES.md, generated from the rule objects so the documentation cannot drift from the
// code (a test compares the two).
import type { RiskRule } from "./rule.ts";
import { riskRules } from "./rules/index.ts";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderRuleTable(rules: readonly RiskRule[] = riskRules): string {
  const rows = rules.map((rule) => `| ${rule.id} | ${rule.level} | ${cell(rule.title)}${rule.fallback ? " *(otherwise)*" : ""} | ${cell(rule.trigger)} | ${cell(rule.why)} |`);
  return [
    "# Risk rules",
    "",
    "<!-- Generated from policy/risk/rules by renderRuleTable(); edit the rules, then run",
    "     UPDATE_SNAPSHOTS=1 node scripts/test.mjs test/policy/risk-rules-doc.test.ts -->",
    "",
    "Every plan checks each change against these rules. IDs are stable. A finding can be accepted with an",
    'acknowledgement on the grant in the head document, `{ "rule": "KB101", "reason": "…" }`: it stays in the',
    "plan with its reason and no longer counts towards the failure threshold. A rule marked *(otherwise)* applies",
    "only to changes no other rule flagged.",
    "",
    "| ID | Level | Rule | Triggered by | Why it matters |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
