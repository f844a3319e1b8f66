// Applies the rules to a diff and the head document's acknowledgements. An acknowledged finding
// stays in the plan with its reason, but does not count towards the failure threshold.
import type { PolicyChange } from "../diff/change.ts";
import type { PolicyDocument } from "../document.ts";
import { kept, type Phrase } from "../phrase.ts";
import { compareLevels, type Level } from "./level.ts";
import type { Finding, RiskRule } from "./rule.ts";
import { riskRules } from "./rules/index.ts";

function acknowledgementsOf(head: PolicyDocument): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const project of head.projects) {
    for (const grant of project.grants) {
      for (const ack of grant.acknowledgements) {
        const key = `${project.name}\u0000${grant.id}\u0000${ack.rule}`;
        if (!reasons.has(key)) reasons.set(key, ack.reason);
      }
    }
  }
  return reasons;
}

function findingsOf(change: PolicyChange, index: number, rules: readonly RiskRule[], acknowledged: Map<string, string>): Finding[] {
  return rules.flatMap((rule) => {
    const hit = rule.check(change);
    if (!hit) return [];
    const reason = change.headGrant === undefined ? undefined : acknowledged.get(`${change.project}\u0000${change.headGrant}\u0000${rule.id}`);
    const finding: Finding = {
      rule: rule.id, level: rule.level, title: rule.title, badge: rule.badge ?? rule.level.toUpperCase(), why: rule.why,
      get reason(): Phrase {
        return kept(this, "reason", hit.reason());
      },
      get before(): Phrase {
        return kept(this, "before", hit.before ?? change.before);
      },
      get after(): Phrase {
        return kept(this, "after", hit.after ?? change.after);
      },
      change: index, kind: change.kind, project: change.project, environment: change.environment, grant: change.grant,
      acknowledgement: reason === undefined ? undefined : { reason },
    };
    return [finding];
  });
}

/** Findings, most severe first; within a level by rule ID, then in the order of the changes. */
export function assessRisks(changes: readonly PolicyChange[], head: PolicyDocument, rules: readonly RiskRule[] = riskRules): Finding[] {
  const acknowledged = acknowledgementsOf(head);
  const [primary, fallback] = [rules.filter((rule) => !rule.fallback), rules.filter((rule) => rule.fallback)];
  const findings = changes.flatMap((change, index) => {
    const found = findingsOf(change, index, primary, acknowledged);
    return found.length > 0 ? found : findingsOf(change, index, fallback, acknowledged);
  });
  return findings.sort((a, b) => compareLevels(a.level, b.level) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || a.change - b.change);
}

/** The most severe level among findings nobody acknowledged; undefined when there is none. */
export function highestUnacknowledged(findings: readonly Finding[]): Level | undefined {
  return findings.filter((finding) => !finding.acknowledgement).map((finding) => finding.level).sort(compareLevels)[0];
}
