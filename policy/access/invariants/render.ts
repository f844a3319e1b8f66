// `keybridge check` output: one line per finding, most severe first, and the exceptions with their reasons.
import { compareLevels } from "../../risk/level.ts";
import { compareText } from "../../text-order.ts";
import type { CheckResult, InvariantFinding } from "./check.ts";

/** "HIGH KB201 title: detail": a finding on one line, in `keybridge check` and in access plans. */
export const findingLine = (finding: InvariantFinding) => `${finding.level.toUpperCase()} ${finding.id} ${finding.title}: ${finding.violation.detail}`;

/** Most severe first, then by invariant id. */
export const sortedFindings = (findings: readonly InvariantFinding[]) => [...findings].sort((a, b) => compareLevels(a.level, b.level) || compareText(a.id, b.id));

export function renderChecks(result: CheckResult, format: "text" | "json"): string {
  const findings = sortedFindings(result.findings);
  if (format === "json") {
    const entry = (finding: InvariantFinding) => ({ id: finding.id, level: finding.level, title: finding.title, role: finding.violation.role.id, source: finding.violation.role.source, path: finding.violation.path ?? null, detail: finding.violation.detail });
    return `${JSON.stringify({ findings: findings.map(entry), excepted: result.excepted.map((finding) => ({ ...entry(finding), reason: finding.reason })) }, null, 2)}\n`;
  }
  const lines = findings.map(findingLine);
  for (const finding of result.excepted) lines.push(`excepted ${findingLine(finding)} (reason: ${finding.reason})`);
  if (findings.length === 0) lines.unshift("No invariant is broken.");
  return `${lines.join("\n")}\n`;
}
