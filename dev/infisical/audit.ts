// One JSON line per Infisical API request in the --audit-log file, next to Vault's lines, shaped
// like Infisical's audit events (eventType, actor, eventMetadata). Lines name identities, token
// ids, environments, paths and key names; never a secret value, a JWT or an access token.
import { closeSync, openSync, writeSync } from "node:fs";

export interface AuditActor {
  readonly type: "identity";
  readonly identityId: string;
  readonly name: string;
  /** The access token's id, never the token. */
  readonly tokenId?: string;
}

export interface InfisicalAuditEvent {
  readonly reqId: string;
  readonly eventType: string;
  readonly statusCode: number;
  readonly ipAddress: string;
  readonly userAgent: string;
  readonly actor?: AuditActor;
  readonly projectId?: string;
  readonly eventMetadata: Readonly<Record<string, unknown>>;
  /** The refusal's one-line message (which never holds a value). */
  readonly error?: string;
}

export class InfisicalAudit {
  private fd: number | undefined;

  constructor(
    filePath: string | undefined,
    private readonly now: () => number,
  ) {
    this.fd = filePath === undefined ? undefined : openSync(filePath, "a", 0o600);
  }

  record(event: InfisicalAuditEvent): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify({ time: new Date(this.now()).toISOString(), type: "infisical", ...event })}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
