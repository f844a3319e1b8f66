// Applies the rules to a diff and the head document's acknowledgements. An acknowledged finding
// stays in the plan with its reason, but does not count towards the failure threshold.
import type { ChangeKind, PolicyChange } from "../diff/change.ts";
import type { PolicyDocument } from "../document.ts";
import { withWords } from "../lazy-words.ts";
import { compareLevels, type Level } from "./level.ts";
import type { Finding, RiskRule } from "./rule.ts";
import { riskRules } from "./rules/index.ts";
import { compareText } from "../text-order.ts";

function acknowledgementsOf(head: PolicyDocument): Map<string, string> {
  const reasons = new Map<string, string>();
  // Indexed: it visits every grant of the head, before this is optimized.
  for (let p = 0; p < head.projects.length; p++) {
    const project = head.projects[p]!;
    for (let g = 0; g < project.grants.length; g++) {
      const grant = project.grants[g]!;
      for (let a = 0; a < grant.acknowledgements.length; a++) {
        const ack = grant.acknowledgements[a]!;
        const key = `${project.name}\u0000${grant.id}\u0000${ack.rule}`;
        if (!reasons.has(key)) reasons.set(key, ack.reason);
      }
    }
  }
  return reasons;
}

/** Adds the change's findings by these rules to `findings`; says whether there was any. */
function addFindings(findings: Finding[], change: PolicyChange, index: number, rules: readonly RiskRule[], acknowledged: Map<string, string>): boolean {
  let found = false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const hit = rule.check(change);
    if (!hit) continue;
    found = true;
    // Most documents acknowledge nothing: no key is built for them.
    const reason = change.headGrant === undefined || acknowledged.size === 0 ? undefined : acknowledged.get(`${change.project}\u0000${change.headGrant}\u0000${rule.id}`);
    const finding = {
      rule: rule.id, level: rule.level, title: rule.title, badge: rule.badge ?? rule.level.toUpperCase(), why: rule.why,
      change: index, kind: change.kind, project: change.project, environment: change.environment, grant: change.grant,
      acknowledgement: reason === undefined ? undefined : { reason },
    };
    findings.push(withWords(finding, { reason: hit.reason, before: () => hit.before ?? change.before, after: () => hit.after ?? change.after }));
  }
  return found;
}

interface KindRules {
  readonly primary: RiskRule[];
  readonly fallback: RiskRule[];
}

const noRules: KindRules = { primary: [], fallback: [] };

/** The rules that judge each kind of change, in the list's order: a change meets only those. */
function rulesByKind(rules: readonly RiskRule[]): Map<ChangeKind, KindRules> {
  const byKind = new Map<ChangeKind, KindRules>();
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      let found = byKind.get(kind);
      if (!found) byKind.set(kind, (found = { primary: [], fallback: [] }));
      (rule.fallback ? found.fallback : found.primary).push(rule);
    }
  }
  return byKind;
}

/** Findings, most severe first; within a level by rule ID, then in the order of the changes. */
export function assessRisks(changes: readonly PolicyChange[], head: PolicyDocument, rules: readonly RiskRule[] = riskRules): Finding[] {
  const acknowledged = acknowledgementsOf(head);
  const byKind = rulesByKind(rules);
  const findings: Finding[] = [];
  for (let index = 0; index < changes.length; index++) {
    const change = changes[index]!;
    const { primary, fallback } = byKind.get(change.kind) ?? noRules;
    if (!addFindings(findings, change, index, primary, acknowledged)) addFindings(findings, change, index, fallback, acknowledged);
  }
  // Found in the order of the changes; a rule has one level, so grouping by rule keeps that order within a group.
  const byRule = new Map<string, Finding[]>();
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    const group = byRule.get(finding.rule);
    if (group) group.push(finding);
    else byRule.set(finding.rule, [finding]);
  }
  const groups = [...byRule.values()].sort((a, b) => compareLevels(a[0]!.level, b[0]!.level) || compareText(a[0]!.rule, b[0]!.rule));
  const ordered: Finding[] = [];
  // Pushed one by one: flat() walks tens of thousands of findings generically.
  for (let g = 0; g < groups.length; g++) for (let i = 0; i < groups[g]!.length; i++) ordered.push(groups[g]![i]!);
  return ordered;
}

/** The most severe level among findings nobody acknowledged; undefined when there is none. */
export function highestUnacknowledged(findings: readonly Finding[]): Level | undefined {
  // One pass, no sort: a large plan has tens of thousands of findings.
  let highest: Level | undefined;
  for (let i = 0; i < findings.length; i++) {
    const { level, acknowledgement } = findings[i]!;
    if (!acknowledgement && (highest === undefined || compareLevels(level, highest) < 0)) highest = level;
  }
  return highest;
}
