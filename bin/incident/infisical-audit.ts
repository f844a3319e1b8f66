// Which of Infisical's audit-log rows read the leaked secret, and who made them. The drill names
// a secret as `keybridge access` does, `<project>/<environment>/<folders…>/<KEY>`. A row reads it
// when it is a `get-secret` of that key in that folder, or a `get-secrets` listing of the folder
// (the listing handed out every secret the actor could read there; the row does not say which).
// Rows come from GET /api/v1/organization/audit-logs; one that is not shaped as Infisical's is
// counted, never trusted.
import * as z from "zod";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { compareText } from "../../policy/text-order.ts";

export interface InfisicalSecretRef {
  /** As the access graph names the project (its slug in Terraform). */
  readonly project: string;
  readonly environment: string;
  /** "/" or "/a/b". */
  readonly folder: string;
  readonly key: string;
}

export const readEventTypes = ["get-secret", "get-secrets"] as const;

export function parseInfisicalSecret(path: string): InfisicalSecretRef {
  const parts = path.trim().replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length < 3 || parts.some((part) => part === "")) {
    throw new KeybridgeError("KB_INPUT_INVALID", `--path ${JSON.stringify(path)}: an Infisical secret is <project>/<environment>/<folders…>/<KEY>, as keybridge access names it (e.g. ml-training/prod/database/PASSWORD)`);
  }
  return { project: parts[0]!, environment: parts[1]!, folder: `/${parts.slice(2, -1).join("/")}`, key: parts[parts.length - 1]! };
}

const auditRow = z.object({
  id: z.string(),
  createdAt: z.string(),
  ipAddress: z.string().nullish(),
  userAgent: z.string().nullish(),
  userAgentType: z.string().nullish(),
  projectId: z.string().nullish(),
  event: z.object({ type: z.string(), metadata: z.record(z.string(), z.unknown()).nullish() }),
  actor: z.object({ type: z.string(), metadata: z.record(z.string(), z.unknown()).nullish() }),
});
export type AuditRow = z.infer<typeof auditRow>;

/** One actor's reads: an identity (the drill can cut it off), or a user or service token (by hand). */
export interface InfisicalReader {
  readonly actorType: string;
  /** identityId, userId or serviceId; "" when the row names none. */
  readonly actorId: string;
  readonly name: string;
  reads: number;
  /** How many of the reads were folder listings (get-secrets). */
  listings: number;
  firstRead: string;
  lastRead: string;
  readonly ipAddresses: Set<string>;
  readonly userAgents: Set<string>;
}

export interface InfisicalScan {
  /** Rows the audit log listed for the folder in the window. */
  readonly rows: number;
  /** Rows not shaped as Infisical's. */
  readonly badRows: number;
  readonly reads: number;
  readonly readers: InfisicalReader[];
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** The row's actor id: identityId for an identity, else the id its metadata carries. */
function actorIdOf(row: AuditRow): string {
  const meta = row.actor.metadata ?? {};
  return text(meta.identityId) || text(meta.userId) || text(meta.serviceId);
}

export function readsSecret(row: AuditRow, secret: InfisicalSecretRef, projectId: string): boolean {
  const meta = row.event.metadata ?? {};
  if (row.projectId !== projectId || meta.environment !== secret.environment) return false;
  const folder = text(meta.secretPath).replace(/\/+$/, "") || "/";
  if (folder !== secret.folder) return false;
  if (row.event.type === "get-secrets") return true;
  return row.event.type === "get-secret" && meta.secretKey === secret.key;
}

export class InfisicalReadScanner {
  private rows = 0;
  private badRows = 0;
  private reads = 0;
  private readonly byActor = new Map<string, InfisicalReader>();
  /** Row ids seen: pages of a log that grows while it is read can repeat a row. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly secret: InfisicalSecretRef,
    private readonly projectId: string,
    private readonly sinceMs: number | undefined,
  ) {}

  add(raw: unknown): void {
    const parsed = auditRow.safeParse(raw);
    if (!parsed.success || Number.isNaN(Date.parse(parsed.data.createdAt))) {
      this.rows++;
      this.badRows++;
      return;
    }
    const row = parsed.data;
    if (this.seen.has(row.id)) return;
    this.seen.add(row.id);
    this.rows++;
    if (!readsSecret(row, this.secret, this.projectId)) return;
    // The server filters by date already; a row outside the window is not trusted either.
    if (this.sinceMs !== undefined && Date.parse(row.createdAt) < this.sinceMs) return;
    this.reads++;
    this.count(row);
  }

  result(): InfisicalScan {
    const readers = [...this.byActor.values()].sort((a, b) => compareText(a.firstRead, b.firstRead) || compareText(a.actorId, b.actorId));
    return { rows: this.rows, badRows: this.badRows, reads: this.reads, readers };
  }

  private count(row: AuditRow): void {
    const actorId = actorIdOf(row);
    const key = `${row.actor.type}\u0000${actorId}`;
    let reader = this.byActor.get(key);
    if (!reader) {
      const name = text(row.actor.metadata?.name) || text(row.actor.metadata?.email) || text(row.actor.metadata?.username);
      reader = { actorType: row.actor.type, actorId, name, reads: 0, listings: 0, firstRead: row.createdAt, lastRead: row.createdAt, ipAddresses: new Set(), userAgents: new Set() };
      this.byActor.set(key, reader);
    }
    reader.reads++;
    if (row.event.type === "get-secrets") reader.listings++;
    if (row.createdAt < reader.firstRead) reader.firstRead = row.createdAt;
    if (row.createdAt > reader.lastRead) reader.lastRead = row.createdAt;
    if (row.ipAddress) reader.ipAddresses.add(row.ipAddress);
    if (row.userAgent) reader.userAgents.add(row.userAgent);
  }
}
