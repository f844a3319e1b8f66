// The Terraform part of the comment: one table of counts per resource type (a whole item, never
// cut), then one line per changed resource with the names of its changed attributes.
import type { ResourceChangeSummary, TerraformPlanSummary } from "../terraform-plan/summarize.ts";
import { resourceActions } from "../terraform-plan/summarize.ts";
import { inlineCode } from "./markdown-escape.ts";

const maxTypeRows = 40;

function typeTable(summary: TerraformPlanSummary): string {
  const rows = summary.byType.slice(0, maxTypeRows).map(({ type, counts }) => `| ${inlineCode(type, 80)} | ${resourceActions.map((action) => counts[action]).join(" | ")} |`);
  const rest = summary.byType.length - rows.length;
  if (rest > 0) rows.push(`| …${rest} more types | | | | |`);
  return ["| Resource type | create | update | replace | delete |", "|---|---:|---:|---:|---:|", ...rows].join("\n");
}

function attributeWords(resource: ResourceChangeSummary): string {
  if (resource.attributes.length === 0) return "";
  const names = resource.attributes.slice(0, 12).map((attribute) => {
    const notes = [attribute.sensitive ? "sensitive, value not shown" : "", attribute.forcesReplacement ? "forces replacement" : ""].filter(Boolean);
    return `${inlineCode(attribute.name, 64)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
  });
  const rest = resource.attributes.length - names.length;
  return `: ${names.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`;
}

/** The plan's resource changes as items of a folded section: a table of counts, then one line each. */
export function terraformItems(summary: TerraformPlanSummary): string[] {
  if (summary.resources.length === 0) return ["No resource changes.\n"];
  const resources = summary.resources.map(
    (resource) => `- ${resource.action} ${inlineCode(resource.address, 160)}${resource.holdsSecret ? " (holds secret values; none shown)" : ""}${attributeWords(resource)}\n`,
  );
  return [`${typeTable(summary)}\n\n`, ...resources];
}
