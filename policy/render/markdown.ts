// renderMarkdown: the plan as one pull-request comment. A hidden marker on the first line (one
// sticky comment per stack), the counts next, then the unacknowledged critical and high findings,
// then folded sections. Whatever the plan's size the comment stays within maxLength: whole items
// are left out, never half a table or an open <details>, and a last line says how many and
// where the full plan is.
import type { Plan } from "../plan.ts";
import type { Finding } from "../risk/rule.ts";
import { riskRules } from "../risk/rules/index.ts";
import { terraformItems } from "./terraform-markdown.ts";
import { assemble, listSection, type Section } from "./budget.ts";
import { escapeProse, phraseToMarkdown } from "./markdown-escape.ts";
import { changesLine, noChanges, riskLine, terraformLine } from "./words.ts";

export interface MarkdownOptions {
  /** Key of the hidden marker `<!-- keybridge-plan:KEY -->` that finds the comment to update. */
  readonly marker: string;
  /** Default 60,000 (GitHub refuses comments above 65,536). At least 2,000. */
  readonly maxLength?: number;
  /** Where the full plan is (the job's artifact); linked when the comment is cut. */
  readonly artifactUrl?: string;
  readonly title?: string;
}

const topListSize = 10;
const markerKey = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

/** The hidden first line that identifies a stack's sticky comment. */
export function markerLine(key: string): string {
  if (!markerKey.test(key) || key.includes("--")) {
    throw new RangeError(`marker "${key.slice(0, 40)}" is not usable in an HTML comment; use letters, digits and . _ : / @ + - (no "--"), up to 200 characters`);
  }
  return `<!-- keybridge-plan:${key} -->`;
}

function artifactLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`artifactUrl is not a URL; give the https:// address of the plan artifact`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new RangeError(`artifactUrl must be an http(s) address, not ${parsed.protocol}`);
  if (parsed.href.length > 1000) throw new RangeError(`artifactUrl is ${parsed.href.length} characters long; give one of 1000 or fewer`);
  const href = parsed.href.replace(/[()'"<>`|\\[\] ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[full plan artifact](${href})`;
}

const findingLine = (finding: Finding) => `- **${finding.badge}:** ${phraseToMarkdown(finding.reason)}. \`${finding.rule}\``;

function findingText(finding: Finding): string {
  const before = phraseToMarkdown(finding.before) || "none";
  const after = phraseToMarkdown(finding.after) || "none";
  const shift = finding.before.length > 0 || finding.after.length > 0 ? `\n  <br>${before} → ${after}` : "";
  const acknowledged = finding.acknowledgement ? `\n  <br>acknowledged: “${escapeProse(finding.acknowledgement.reason)}”` : "";
  return `${findingLine(finding)}${shift}${acknowledged}\n`;
}

/** Findings (and the changes they report) as a section, each item made only if it is shown. */
const findingSection = (summary: string, findings: readonly Finding[]): Section => ({
  summary: `${summary} (${findings.length})`,
  size: findings.length,
  text: (index) => findingText(findings[index]!),
  change: (index) => findings[index]!.change,
});

function sections(plan: Plan): Section[] {
  // One pass over the findings and one over the changes: a large plan has tens of thousands.
  const open: Finding[] = [];
  const acknowledged: Finding[] = [];
  const flagged = new Uint8Array(plan.changes.length);
  const fired = new Set<string>();
  for (let i = 0; i < plan.findings.length; i++) {
    const finding = plan.findings[i]!;
    (finding.acknowledgement ? acknowledged : open).push(finding);
    flagged[finding.change] = 1;
    fired.add(finding.rule);
  }
  const others: number[] = [];
  for (let index = 0; index < plan.changes.length; index++) if (flagged[index] === 0) others.push(index);
  const legend = riskRules.filter((rule) => fired.has(rule.id)).map((rule) => `- \`${rule.id}\` **${rule.title}** (${rule.level}): ${rule.why}\n`);
  const terraform = plan.terraform;
  return [
    findingSection("All findings", open),
    findingSection("Acknowledged findings", acknowledged),
    {
      summary: `Other changes (${others.length})`,
      size: others.length,
      text: (index) => `- ${phraseToMarkdown(plan.changes[others[index]!]!.summary)}.\n`,
      change: (index) => others[index]!,
    },
    ...(terraform ? [listSection(`Terraform plan: ${terraformLine(terraform.totals)}`, terraformItems(terraform))] : []),
    listSection("Why these rules matter", legend),
  ];
}

function headerLines(plan: Plan, title: string): string[] {
  const lines = [`### ${escapeProse(title, 100)}`, ""];
  const counts = plan.changes.length === 0 ? [noChanges] : [`**Risk:** ${riskLine(plan)}`, `**Changes:** ${changesLine(plan)}`];
  if (plan.terraform) counts.push(`**Terraform:** ${terraformLine(plan.terraform.totals)}`);
  lines.push(counts.join("<br>\n"), "");
  return lines;
}

function topList(plan: Plan, room: number): string[] {
  const urgent = plan.findings.filter((finding) => !finding.acknowledgement && (finding.level === "critical" || finding.level === "high"));
  const lines: string[] = [];
  let used = 0;
  for (const finding of urgent.slice(0, topListSize)) {
    const line = findingLine(finding);
    if (used + line.length + 1 > room) break;
    lines.push(line);
    used += line.length + 1;
  }
  if (urgent.length > lines.length) lines.push(`- …and ${urgent.length - lines.length} more critical or high findings below.`);
  return lines.length > 0 ? [...lines, ""] : [];
}

export function renderMarkdown(plan: Plan, options: MarkdownOptions): string {
  const maxLength = options.maxLength ?? 60_000;
  if (!Number.isInteger(maxLength) || maxLength < 2000) throw new RangeError(`maxLength ${maxLength} is too small for a plan; give 2000 or more`);
  const link = artifactLink(options.artifactUrl);
  const head = [markerLine(options.marker), ...headerLines(plan, options.title ?? "Keybridge plan")];
  const headText = `${[...head, ...topList(plan, Math.floor(maxLength / 4))].join("\n")}\n`;
  const all = sections(plan);
  const total = all.reduce((sum, section) => sum + section.size, 0);
  const footer = (count: number, what: string) => `**${count} more ${what}, see the full plan artifact**${link ? `: ${link}` : "."}\n`;
  const note = `> **This comment is cut to fit.** Only the first findings and changes are shown; the rest are in the full plan artifact${link ? `: ${link}` : "."}\n\n`;
  const reserve = footer(total, "changes").length + note.length;
  const body = assemble(all, maxLength - headText.length - reserve, plan.changes.length);
  if (body.omittedItems === 0) return `${headText}${body.text}`.trimEnd() + "\n";
  const more = body.omittedChanges > 0 ? footer(body.omittedChanges, body.omittedChanges === 1 ? "change" : "changes") : footer(body.omittedItems, "entries");
  return `${headText}${note}${body.text}${more}`;
}
