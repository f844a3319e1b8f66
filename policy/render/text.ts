// renderText: the plan for a terminal. Aligned columns, names as they are (with control and bidi
// characters made visible), no markdown; ANSI colours only when asked.
import type { Phrase } from "../phrase.ts";
import type { Plan } from "../plan.ts";
import type { Level } from "../risk/level.ts";
import type { Finding } from "../risk/rule.ts";
import { resourceActions, type TerraformPlanSummary } from "../terraform-plan/summarize.ts";
import { visible } from "./sanitize.ts";
import { changesLine, noChanges, riskLine, terraformLine } from "./words.ts";

export interface TextOptions {
  /** ANSI colours on the level badges. Default false. */
  readonly color?: boolean;
}

const colours: Record<Level, string> = { critical: "\u001b[1;31m", high: "\u001b[31m", medium: "\u001b[33m", low: "\u001b[36m", info: "\u001b[2m" };
const reset = "\u001b[0m";

export function phraseToText(value: Phrase): string {
  return value.map((part) => (typeof part === "string" ? part : "code" in part ? visible(part.code, 200) : `“${visible(part.quote, 300)}”`)).join("");
}

function findingLines(findings: readonly Finding[], options: TextOptions): string[] {
  const width = Math.max(...findings.map((finding) => finding.badge.length));
  const indent = " ".repeat(2 + width + 2 + 5 + 2);
  return findings.flatMap((finding) => {
    const badge = finding.badge.toUpperCase().padEnd(width);
    const lines = [`  ${options.color ? `${colours[finding.level]}${badge}${reset}` : badge}  ${finding.rule}  ${phraseToText(finding.reason)}`];
    if (finding.before.length > 0 || finding.after.length > 0) lines.push(`${indent}${phraseToText(finding.before) || "none"} → ${phraseToText(finding.after) || "none"}`);
    if (finding.acknowledgement) lines.push(`${indent}acknowledged: “${visible(finding.acknowledgement.reason, 300)}”`);
    return lines;
  });
}

function terraformLines(summary: TerraformPlanSummary): string[] {
  const width = Math.max(13, ...summary.byType.map(({ type }) => visible(type, 80).length));
  const header = `  ${"resource type".padEnd(width)}  ${resourceActions.map((action) => action.padStart(9)).join("")}`;
  const rows = summary.byType.map(({ type, counts }) => `  ${visible(type, 80).padEnd(width)}  ${resourceActions.map((action) => String(counts[action]).padStart(9)).join("")}`);
  const resources = summary.resources.map((resource) => {
    const names = resource.attributes.map((attribute) => `${visible(attribute.name, 64)}${attribute.sensitive ? " (sensitive)" : ""}${attribute.forcesReplacement ? " (forces replacement)" : ""}`);
    return `  ${resource.action.padEnd(7)}  ${visible(resource.address, 160)}${resource.holdsSecret ? " (holds secret values; none shown)" : ""}${names.length > 0 ? `: ${names.join(", ")}` : ""}`;
  });
  return [`Terraform plan: ${terraformLine(summary.totals)}`, header, ...rows, ...resources];
}

export function renderText(plan: Plan, options: TextOptions = {}): string {
  const lines = ["Keybridge plan"];
  if (plan.changes.length === 0) lines.push(noChanges);
  else lines.push(`Risk:      ${riskLine(plan)}`, `Changes:   ${changesLine(plan)}`);
  if (plan.terraform) lines.push(`Terraform: ${terraformLine(plan.terraform.totals)}`);
  const open = plan.findings.filter((finding) => !finding.acknowledgement);
  const acknowledged = plan.findings.filter((finding) => finding.acknowledgement);
  const flagged = new Set(plan.findings.map((finding) => finding.change));
  const others = plan.changes.filter((_, index) => !flagged.has(index));
  if (open.length > 0) lines.push("", `Findings (${open.length})`, ...findingLines(open, options));
  if (acknowledged.length > 0) lines.push("", `Acknowledged findings (${acknowledged.length})`, ...findingLines(acknowledged, options));
  if (others.length > 0) lines.push("", `Other changes (${others.length})`, ...others.map((change) => `  ${phraseToText(change.summary)}`));
  if (plan.terraform) lines.push("", ...terraformLines(plan.terraform));
  return `${lines.join("\n")}\n`;
}
