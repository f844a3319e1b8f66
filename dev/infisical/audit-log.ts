// The rows GET /api/v1/organization/audit-logs serves, kept in memory in Infisical's shape
// (audit-logs table: actor and actorMetadata, eventType and eventMetadata, ipAddress, userAgent,
// userAgentType, project, times). A row is kept for each request that succeeded as a known
// identity, as Infisical records events only for completed operations. Rows name identities,
// environments, folders and keys; never a value or a token.
import { randomUUID } from "node:crypto";

export interface AuditLogRow {
  readonly id: string;
  readonly actor: "identity";
  readonly actorMetadata: { readonly identityId: string; readonly name: string };
  readonly ipAddress: string;
  readonly eventType: string;
  readonly eventMetadata: Readonly<Record<string, unknown>>;
  readonly userAgent: string;
  readonly userAgentType: string;
  readonly orgId: string | null;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly createdAt: string;
}

export interface AuditLogFilter {
  readonly projectId?: string | undefined;
  readonly environment?: string | undefined;
  readonly secretPath?: string | undefined;
  readonly secretKey?: string | undefined;
  readonly eventTypes?: readonly string[] | undefined;
  readonly actorType?: string | undefined;
  /** An actor's id (identityId here). */
  readonly actor?: string | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly offset: number;
  readonly limit: number;
}

/** Infisical's exact-match user agents; anything else (a custom Action) is "other". */
function userAgentType(userAgent: string): string {
  if (userAgent === "cli") return "cli";
  if (userAgent === "k8-operator") return "k8-operator";
  if (userAgent === "terraform") return "terraform";
  if (/mozilla/i.test(userAgent)) return "web";
  return "other";
}

export class AuditLogRows {
  private readonly rows: AuditLogRow[] = [];

  constructor(private readonly now: () => number) {}

  add(row: Omit<AuditLogRow, "id" | "createdAt" | "userAgentType">): void {
    this.rows.push({ ...row, id: randomUUID(), userAgentType: userAgentType(row.userAgent), createdAt: new Date(this.now()).toISOString() });
  }

  /** Newest first, as Infisical orders them; secretPath, secretKey and environment match the event's metadata. */
  list(filter: AuditLogFilter): AuditLogRow[] {
    const matching = this.rows.filter((row) => {
      const meta = row.eventMetadata;
      const at = Date.parse(row.createdAt);
      return (
        at >= filter.startMs && at <= filter.endMs &&
        (filter.projectId === undefined || row.projectId === filter.projectId) &&
        (filter.environment === undefined || meta.environment === filter.environment) &&
        (filter.secretPath === undefined || meta.secretPath === filter.secretPath) &&
        (filter.secretKey === undefined || meta.secretKey === filter.secretKey) &&
        (filter.eventTypes === undefined || filter.eventTypes.includes(row.eventType)) &&
        (filter.actorType === undefined || row.actor === filter.actorType) &&
        (filter.actor === undefined || row.actorMetadata.identityId === filter.actor)
      );
    });
    return matching.reverse().slice(filter.offset, filter.offset + filter.limit);
  }
}
