// The drill's report three ways: JSON for programs, markdown for the incident ticket, and a few
// terminal lines. Every name in them came from an audit log or a configuration, so each is made
// visible (no control characters) and, in markdown, inert. Tokens never appear: the log holds
// only their HMACs, and the drill handles accessors, which name a token without being one.
import { inlineCode } from "../../policy/render/markdown-escape.ts";
import { visible } from "../../policy/render/sanitize.ts";
import { count, couldReadJson, couldReadMarkdown, summaryEnd } from "./could-read.ts";
import type { DrillResult, ReaderAction, ReaderOutcome } from "./drill.ts";
import { compareText } from "../../policy/text-order.ts";

export function reportJson(result: DrillResult): string {
  const { scan } = result;
  return `${JSON.stringify(
    {
      version: 1,
      path: result.path,
      readPaths: result.readPaths,
      auditLog: result.auditLog,
      auditDevice: result.device ?? null,
      since: result.since ?? null,
      dryRun: result.dryRun,
      startedAt: result.startedAt,
      auditLogLines: { total: scan.lines, unreadable: scan.badLines, firstUnreadable: scan.badLineNumbers },
      reads: { counted: scan.reads, refused: scan.refusedReads, beforeSince: scan.earlierReads },
      readers: result.readers.map((reader) => ({
        displayName: reader.token.displayName,
        role: reader.token.metadata.role ?? null,
        metadata: reader.token.metadata,
        policies: reader.token.policies,
        reads: reader.token.reads,
        firstRead: reader.token.firstRead,
        lastRead: reader.token.lastRead,
        paths: [...reader.token.paths].sort(),
        remoteAddresses: [...reader.token.remoteAddresses].sort(),
        accessorHmac: reader.token.accessorHmac,
        accessor: reader.accessor ?? null,
        action: reader.action,
      })),
      leases: result.leases,
      couldRead: couldReadJson(result.couldRead),
      rotation: result.rotation,
    },
    null,
    2,
  )}\n`;
}

const actionWords: Readonly<Record<ReaderAction, string>> = {
  revoked: "revoked",
  "would-revoke": "would revoke",
  "not-live": "no longer live",
  "already-gone": "gone before it was revoked",
  "drill-token": "not revoked: the drill's own token",
};

const code = (value: string) => inlineCode(value);
const cell = (values: readonly string[]) => (values.length === 0 ? "–" : values.map(code).join(", "));

/** A dead token's accessor is known only as its HMAC: enough of it to find the lines in the log. */
function shortHmac(hmac: string): string {
  return hmac === "" ? "(none)" : `${hmac.slice(0, "hmac-sha256:".length + 16)}…`;
}

function claimsOf(reader: ReaderOutcome): string[] {
  return Object.entries(reader.token.metadata)
    .filter(([name]) => name !== "role")
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, value]) => `${name}=${value}`);
}

export function reportMarkdown(result: DrillResult): string {
  const { scan } = result;
  const out: string[] = [`# Leaked-credential drill: ${code(result.path)}`, ""];
  out.push(result.dryRun ? "**Dry run: nothing was changed.** Every action below is what the drill would do." : "Every action below was taken.", "");
  out.push(`- Started: ${result.startedAt}`);
  out.push(`- Audit log: ${code(result.auditLog)} (device ${result.device ? code(result.device) : "not needed"}): ${scan.lines} lines, ${scan.badLines} unreadable${scan.badLineNumbers.length ? ` (first: line ${scan.badLineNumbers.join(", ")})` : ""}`);
  out.push(`- Reads counted: ${scan.reads} of ${cell(result.readPaths)}${result.since ? ` since ${result.since} (${scan.earlierReads} earlier)` : ""}; ${scan.refusedReads} refused by the backend`);
  out.push("", "## Who read it", "");
  if (result.readers.length === 0) out.push("Nobody, in this log and window.");
  else {
    out.push("| token | role | claims | policies | reads | first read | last read | from | accessor | action |", "|---|---|---|---|---|---|---|---|---|---|");
    for (const reader of result.readers) {
      const { token } = reader;
      out.push(`| ${code(token.displayName || "(none)")} | ${token.metadata.role ? code(token.metadata.role) : "–"} | ${cell(claimsOf(reader))} | ${cell(token.policies)} | ${token.reads} | ${token.firstRead} | ${token.lastRead} | ${cell([...token.remoteAddresses])} | ${code(reader.accessor ?? shortHmac(reader.token.accessorHmac))} | ${actionWords[reader.action]} |`);
    }
  }
  out.push("", "## Leases", "");
  if (result.leases.length === 0) out.push("No dynamic database credential was read: no lease to revoke.");
  for (const lease of result.leases) out.push(`- ${lease.action === "revoked" ? "Revoked" : "Would revoke"} every lease under ${code(lease.prefix)}`);
  out.push("", "## Rotation", "", visible(result.rotation.reason, 400));
  out.push("", ...couldReadMarkdown(result.couldRead, "root and sudo tokens"));
  return `${out.join("\n")}\n`;
}

/** What the terminal shows: the outcome in a few lines, the details in the files. */
export function reportSummary(result: DrillResult, files: readonly string[]): string {
  const acted = result.readers.filter((reader) => reader.action === "revoked" || reader.action === "would-revoke").length;
  const notLive = result.readers.filter((reader) => reader.action === "not-live" || reader.action === "already-gone").length;
  const verb = result.dryRun ? "would revoke" : "revoked";
  const lines = [
    `${visible(result.path)}: ${count(result.readers.length, "token")} read it (${count(result.scan.reads, "read")}${result.since ? ` since ${result.since}` : ""}); ${verb} ${count(acted, "live token")}, ${notLive} no longer live`,
  ];
  if (result.leases.length > 0) lines.push(`leases: ${verb} ${result.leases.map((lease) => visible(lease.prefix)).join(", ")}`);
  if (result.scan.badLines > 0) lines.push(`warning: ${count(result.scan.badLines, "unreadable line")} in the audit log (first: line ${result.scan.badLineNumbers.join(", ")}); they were passed over`);
  return summaryEnd(lines, result, files);
}
