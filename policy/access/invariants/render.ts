// `keybridge check` output: one line per finding, most severe first, and the exceptions with their reasons.
import { compareLevels } from "../../risk/level.ts";
import type { CheckResult, InvariantFinding } from "./check.ts";

const line = (finding: InvariantFinding) => `${finding.level.toUpperCase()} ${finding.id} ${finding.title}: ${finding.violation.detail}`;

export function renderChecks(result: CheckResult, format: "text" | "json"): string {
  const findings = [...result.findings].sort((a, b) => compareLevels(a.level, b.level) || a.id.localeCompare(b.id));
  if (format === "json") {
    const entry = (finding: InvariantFinding) => ({ id: finding.id, level: finding.level, title: finding.title, role: finding.violation.role.id, source: finding.violation.role.source, path: finding.violation.path ?? null, detail: finding.violation.detail });
    return `${JSON.stringify({ findings: findings.map(entry), excepted: result.excepted.map((finding) => ({ ...entry(finding), reason: finding.reason })) }, null, 2)}\n`;
  }
  const lines = findings.map(line);
  for (const finding of result.excepted) lines.push(`excepted ${line(finding)} (reason: ${finding.reason})`);
  if (findings.length === 0) lines.unshift("No invariant is broken.");
  return `${lines.join("\n")}\n`;
}
