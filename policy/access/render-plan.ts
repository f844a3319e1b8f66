// An access plan as the sticky pull-request comment (same marker and size budget as document
// plans), as text, and as JSON. The comment carries a Mermaid picture of the access gained,
// bounded like the rest.
import { assemble, listSection, type Section } from "../render/budget.ts";
import { markerLine } from "../render/markdown.ts";
import { escapeProse, inlineCode } from "../render/markdown-escape.ts";
import type { AccessEdge, AccessPlan } from "./diff.ts";
import { mermaidText } from "./render.ts";
import type { InvariantFinding } from "./invariants/check.ts";
import { findingLine, sortedFindings } from "./invariants/render.ts";

/** Edges a diagram shows before it says "and N more": past this GitHub's renderer gets unreadable. */
const diagramEdges = 30;

const edgeLine = (edge: AccessEdge) => `${edge.principal} → ${edge.role} → ${edge.capability} ${edge.path}`;

export function accessPlanSummary(plan: AccessPlan): string {
  if (plan.gained.length + plan.lost.length + plan.rebound.length + plan.broken.length + plan.mended.length === 0) return "No change to who can reach what.";
  return `${plan.gained.length} access gained, ${plan.lost.length} lost, ${plan.rebound.length} role(s) rebound; invariants: ${plan.broken.length} broken, ${plan.mended.length} mended.`;
}

export function renderAccessPlanText(plan: AccessPlan): string {
  const lines = [accessPlanSummary(plan)];
  for (const finding of sortedFindings(plan.broken)) lines.push(`  broken: ${findingLine(finding)}`);
  for (const finding of plan.mended) lines.push(`  mended: ${finding.id} ${finding.violation.detail}`);
  for (const change of plan.rebound) lines.push(`  rebound: ${change.role} (${change.source}) admitted ${change.before}; now ${change.after}`);
  for (const edge of plan.gained) lines.push(`  + ${edgeLine(edge)}`);
  for (const edge of plan.lost) lines.push(`  - ${edgeLine(edge)}`);
  return `${lines.join("\n")}\n`;
}

export function renderAccessPlanJson(plan: AccessPlan): string {
  const finding = (entry: InvariantFinding) => ({ id: entry.id, level: entry.level, title: entry.title, role: entry.violation.role.id, path: entry.violation.path ?? null, detail: entry.violation.detail });
  return `${JSON.stringify({ gained: plan.gained, lost: plan.lost, rebound: plan.rebound, broken: plan.broken.map(finding), mended: plan.mended.map(finding) }, null, 2)}\n`;
}

/** principal → role → path for gained access, `gained` edges drawn thick. */
export function gainedDiagram(edges: readonly AccessEdge[]): string {
  if (edges.length === 0) return "";
  const shown = edges.slice(0, diagramEdges);
  const ids = new Map<string, string>();
  const lines = ["flowchart LR"];
  const node = (text: string) => {
    let id = ids.get(text);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(text, id);
      lines.push(`  ${id}["${mermaidText(text)}"]`);
    }
    return id;
  };
  const links = new Set<string>();
  for (const edge of shown) {
    links.add(`  ${node(edge.principal)} --> ${node(edge.role)}`);
    links.add(`  ${node(edge.role)} ==>|"+${mermaidText(edge.capability)}"| ${node(edge.path)}`);
  }
  const more = edges.length > shown.length ? `\n_…and ${edges.length - shown.length} more gained edges, listed below._\n` : "";
  return `\`\`\`mermaid\n${[...lines, ...links].join("\n")}\n\`\`\`\n${more}`;
}

export function renderAccessPlanMarkdown(plan: AccessPlan, options: { marker: string; title?: string; maxLength?: number }): string {
  const maxLength = options.maxLength ?? 60_000;
  const broken = sortedFindings(plan.broken);
  const head = [markerLine(options.marker), `### ${escapeProse(options.title ?? "Keybridge access plan", 100)}`, "", escapeProse(accessPlanSummary(plan), 300), ""];
  for (const finding of broken.filter((entry) => entry.level === "critical" || entry.level === "high").slice(0, 10)) head.push(`- **${finding.level}:** ${escapeProse(finding.violation.detail, 400)} ${inlineCode(finding.id)}`);
  const diagram = gainedDiagram(plan.gained);
  const headText = `${head.join("\n")}\n\n${diagram.length < maxLength / 3 ? diagram : ""}\n`;
  const item = (text: string) => `- ${escapeProse(text, 600)}\n`;
  const sections: Section[] = [
    listSection(`Invariants broken (${broken.length})`, broken.map((finding) => item(findingLine(finding)))),
    listSection(`Roles that admit other jobs (${plan.rebound.length})`, plan.rebound.map((change) => item(`${change.role} (${change.source}): ${change.before} → ${change.after}`))),
    listSection(`Access gained (${plan.gained.length})`, plan.gained.map((edge) => item(edgeLine(edge)))),
    listSection(`Access lost (${plan.lost.length})`, plan.lost.map((edge) => item(edgeLine(edge)))),
    listSection(`Invariants mended (${plan.mended.length})`, plan.mended.map((finding) => item(`${finding.id} ${finding.violation.detail}`))),
  ];
  const footer = "\n**More entries than fit in one comment; run `keybridge plan` locally for the full list.**\n";
  const body = assemble(sections, maxLength - headText.length - footer.length);
  return `${headText}${body.text}${body.omittedItems > 0 ? footer : ""}`.trimEnd() + "\n";
}
