// renderJson: the plan for machines, keys sorted at every level, absent values as null.
//
// Schema "keybridge-plan/1":
// {
//   "schema": "keybridge-plan/1",
//   "highest": "critical" | "high" | "medium" | "low" | "info" | null,   // most severe unacknowledged
//   "counts": { "findings": { "critical": n, "high": n, "medium": n, "low": n, "info": n },  // unacknowledged
//               "acknowledged": n, "changes": n, "grants": { "added": n, "removed": n, "changed": n }, "otherChanges": n },
//   "findings": [ { "rule": "KB101", "level": "critical", "title": "…", "badge": "CRITICAL", "why": "…",
//                   "reason": "…", "before": "…", "after": "…",        // sentences, names as written
//                   "change": n,                                       // index into "changes"
//                   "kind": "principal.widened", "project": s|null, "environment": s|null, "grant": s|null,
//                   "acknowledgement": { "reason": "…" } | null } ],  // most severe first
//   "changes": [ { "index": n, "kind": "…", "project": s|null, "environment": s|null, "grant": s|null,
//                  "summary": "…", "before": "…", "after": "…" } ],
//   "terraform": null | { "formatVersion": "1.2",
//                         "totals": { "create": n, "update": n, "replace": n, "delete": n },
//                         "byType": [ { "type": s, "counts": { "create": n, … } } ],
//                         "resources": [ { "address": s, "type": s, "action": "create"|"update"|"replace"|"delete",
//                                          "holdsSecret": b, "attributes": [ { "name": s, "sensitive": b, "forcesReplacement": b } ] } ] }
// }
// Change kinds are listed in policy/diff/change.ts (changeKinds); rule IDs in docs/RISK_RULES.md.
import { stableStringify } from "../canonical.ts";
import { plainText } from "../phrase.ts";
import type { Plan } from "../plan.ts";

export const planJsonSchema = "keybridge-plan/1";

export function renderJson(plan: Plan): string {
  return stableStringify({
    schema: planJsonSchema,
    highest: plan.highest ?? null,
    counts: plan.counts,
    findings: plan.findings.map((finding) => ({
      rule: finding.rule,
      level: finding.level,
      title: finding.title,
      badge: finding.badge,
      why: finding.why,
      reason: plainText(finding.reason),
      before: plainText(finding.before),
      after: plainText(finding.after),
      change: finding.change,
      kind: finding.kind,
      project: finding.project ?? null,
      environment: finding.environment ?? null,
      grant: finding.grant ?? null,
      acknowledgement: finding.acknowledgement ?? null,
    })),
    changes: plan.changes.map((change, index) => ({
      index,
      kind: change.kind,
      project: change.project ?? null,
      environment: change.environment ?? null,
      grant: change.grant ?? null,
      summary: plainText(change.summary),
      before: plainText(change.before),
      after: plainText(change.after),
    })),
    terraform: plan.terraform ?? null,
  });
}
