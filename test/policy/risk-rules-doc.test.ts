import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderRuleTable, riskRules } from "../../policy/risk/index.ts";
import { matchSnapshot } from "../support/snapshot.ts";

describe("docs/RISK_RULES.md", () => {
  it("fails when the doc no longer matches the rules (regenerate with UPDATE_SNAPSHOTS=1)", () => {
    matchSnapshot(new URL("../../docs/RISK_RULES.md", import.meta.url), renderRuleTable());
  });

  it("lists every rule with its ID, level and why it matters", () => {
    const table = renderRuleTable();
    for (const rule of riskRules) assert.ok(table.includes(`| ${rule.id} | ${rule.level} | ${rule.title}`) && table.includes(rule.why), rule.id);
  });
});
