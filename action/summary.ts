// The job summary: what was fetched from where, under which names (never a value).
import type { Lease } from "../client/backends/backend.ts";
import { inlineCode } from "../policy/render/markdown-escape.ts";
import type { SelectedSecret } from "../client/select-secrets.ts";

export interface FetchSummary {
  readonly backend: string;
  readonly url: string;
  readonly role: string | undefined;
  readonly ttlSeconds: number;
  readonly willRevoke: boolean;
  readonly secrets: readonly SelectedSecret[];
  readonly targets: readonly string[];
  readonly leases: ReadonlyMap<string, Lease>;
  readonly skippedPaths: readonly string[];
}

/**
 * Names, paths and keys come from inputs and from the secrets' own keys: each is shown through the
 * one markdown escaper, so no newline, pipe, heading, link, HTML or @mention in it can act.
 */
function cell(text: string): string {
  return inlineCode(text);
}

export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "no expiry";
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function renderSummary(summary: FetchSummary): string {
  const lines = [
    "### Keybridge: secrets for this job",
    "",
    `${summary.backend} at ${cell(summary.url)}${summary.role ? `, role ${cell(summary.role)}` : ""}: token valid for ${formatDuration(summary.ttlSeconds)}${summary.willRevoke ? ", revoked when the job ends" : ""}.`,
    "",
    `| Name | Path | Key | Lease |`,
    `|---|---|---|---|`,
    ...summary.secrets.map((secret) => {
      const lease = summary.leases.get(secret.path);
      const leaseText = lease ? `${formatDuration(lease.durationSeconds)}${lease.renewable ? ", renewable" : ""}` : "";
      return `| ${cell(secret.envName)} | ${cell(secret.path)} | ${cell(secret.key)} | ${leaseText} |`;
    }),
    "",
    `Exported to: ${summary.targets.join(", ")}.`,
  ];
  if (summary.skippedPaths.length > 0) {
    lines.push("", `Not found and skipped (ignore-not-found): ${summary.skippedPaths.map(cell).join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}
