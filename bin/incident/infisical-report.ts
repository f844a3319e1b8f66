// The Infisical drill's report: JSON, markdown for the incident ticket, a few terminal lines.
// Names, addresses and user agents come from the audit log: each is made visible (no control
// characters) and, in markdown, inert. No value or token is ever in them.
import { inlineCode } from "../../policy/render/markdown-escape.ts";
import { visible } from "../../policy/render/sanitize.ts";
import { count, couldReadJson, couldReadMarkdown, summaryEnd } from "./could-read.ts";
import type { IdentityAction, InfisicalDrillResult } from "./infisical-drill.ts";

export function infisicalReportJson(result: InfisicalDrillResult): string {
  const { scan } = result;
  return `${JSON.stringify(
    {
      version: 1,
      backend: "infisical",
      path: result.path,
      secret: result.secret,
      projectId: result.projectId,
      window: result.window,
      since: result.since ?? null,
      dryRun: result.dryRun,
      startedAt: result.startedAt,
      auditLogRows: { total: scan.rows, unreadable: scan.badRows, truncated: result.truncated },
      reads: { counted: scan.reads },
      readers: result.readers.map(({ reader, methods, action }) => ({
        actorType: reader.actorType,
        actorId: reader.actorId,
        name: reader.name,
        reads: reader.reads,
        folderListings: reader.listings,
        firstRead: reader.firstRead,
        lastRead: reader.lastRead,
        ipAddresses: [...reader.ipAddresses].sort(),
        userAgents: [...reader.userAgents].sort(),
        authMethods: methods,
        action,
      })),
      couldRead: couldReadJson(result.couldRead),
      rotation: result.rotation,
    },
    null,
    2,
  )}\n`;
}

const actionWords: Readonly<Record<IdentityAction, string>> = {
  revoked: "cut off: auth detached, tokens invalid",
  "would-revoke": "would detach its auth (tokens invalid)",
  "no-auth-method": "not cut off: no OIDC, universal or Kubernetes auth attached",
  "not-an-identity": "not cut off: a user or service token, revoke it by hand",
};

const code = (value: string) => inlineCode(value);
const cell = (values: readonly string[]) => (values.length === 0 ? "–" : values.map(code).join(", "));

export function infisicalReportMarkdown(result: InfisicalDrillResult): string {
  const { scan, secret } = result;
  const out: string[] = [`# Leaked-credential drill: ${code(result.path)}`, ""];
  out.push(result.dryRun ? "**Dry run: nothing was changed.** Every action below is what the drill would do." : "Every action below was taken.", "");
  out.push(`- Started: ${result.startedAt}`);
  out.push(`- Audit log: Infisical's organization audit logs, project ${code(result.projectId)}, environment ${code(secret.environment)}, folder ${code(secret.folder)}, ${result.window.start} to ${result.window.end}: ${scan.rows} rows, ${scan.badRows} unreadable${result.truncated ? "; the page cap was reached, older rows were not read (narrow --since)" : ""}`);
  out.push(`- Reads counted: ${scan.reads} of ${code(secret.key)} (get-secret of the key, or get-secrets of its folder)${result.since ? ` since ${result.since}` : ""}`);
  out.push("", "## Who read it", "");
  if (result.readers.length === 0) out.push("Nobody, in the audit log and window.");
  else {
    out.push("| actor | id | reads (listings) | first read | last read | from | user agent | auth | action |", "|---|---|---|---|---|---|---|---|---|");
    for (const { reader, methods, action } of result.readers) {
      out.push(`| ${code(`${reader.actorType}: ${reader.name || "(no name)"}`)} | ${code(reader.actorId || "(none)")} | ${reader.reads} (${reader.listings}) | ${reader.firstRead} | ${reader.lastRead} | ${cell([...reader.ipAddresses])} | ${cell([...reader.userAgents])} | ${cell(methods)} | ${actionWords[action]} |`);
    }
    out.push("", "Cutting off detaches the identity's OIDC, universal and Kubernetes auth (`DELETE /api/v1/auth/<method>/identities/<id>`): Infisical then refuses every access token the identity holds (401), and it cannot log in until the method is attached again (`terraform apply` of the configuration, once the secret is rotated).");
  }
  out.push("", "## Rotation", "", visible(result.rotation.reason, 400));
  out.push("", ...couldReadMarkdown(result.couldRead, "organization admins and project admins"));
  return `${out.join("\n")}\n`;
}

export function infisicalReportSummary(result: InfisicalDrillResult, files: readonly string[]): string {
  const acted = result.readers.filter(({ action }) => action === "revoked" || action === "would-revoke").length;
  const verb = result.dryRun ? "would cut off" : "cut off";
  const lines = [
    `${visible(result.path)}: ${count(result.readers.length, "actor")} read it (${count(result.scan.reads, "read")}${result.since ? ` since ${result.since}` : ""}); ${verb} ${acted} ${acted === 1 ? "identity" : "identities"}, ${result.readers.length - acted} left to revoke by hand`,
  ];
  if (result.scan.badRows > 0) lines.push(`warning: ${count(result.scan.badRows, "unreadable row")} in the audit log; they were passed over`);
  if (result.truncated) lines.push("warning: the page cap was reached; older rows were not read (narrow --since)");
  return summaryEnd(lines, result, files);
}
