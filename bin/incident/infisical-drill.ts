// The leaked-credential drill on Infisical: who read the secret (the organization's audit logs,
// filtered to the secret's project, environment and folder), cutting off every identity that
// read it (detaching its OIDC, universal and Kubernetes auth, which invalidates all its access
// tokens), and
// who could read it again (the access graph). A dry run reads the same and changes nothing.
import type { AccessGraph } from "../../policy/access/graph.ts";
import { rotationStep, whoCouldRead, type CouldRead, type GeneratedRotation, type Rotation } from "./could-read.ts";
import { authMethods, type AuthMethod, type InfisicalAdmin } from "./infisical-admin.ts";
import { InfisicalReadScanner, readEventTypes, type InfisicalReader, type InfisicalScan, type InfisicalSecretRef } from "./infisical-audit.ts";

export interface InfisicalDrillOptions {
  /** As given: `<project>/<environment>/<folders…>/<KEY>`. */
  readonly path: string;
  readonly secret: InfisicalSecretRef;
  /** The project's id, which Infisical's audit-log filter takes. */
  readonly projectId: string;
  readonly sinceMs: number | undefined;
  readonly dryRun: boolean;
  readonly access: { readonly source: string; readonly graph: AccessGraph } | undefined;
  /** The generated secret at the path, when --from names a policy document that declares one. */
  readonly rotation?: GeneratedRotation | undefined;
  readonly now: () => number;
}

export type IdentityAction =
  | "revoked"
  | "would-revoke"
  /** No OIDC, universal or Kubernetes auth attached: its tokens (if any) come from another method. */
  | "no-auth-method"
  /** A user or service token: the drill cuts off machine identities only. */
  | "not-an-identity";

export interface InfisicalReaderOutcome {
  readonly reader: InfisicalReader;
  /** The methods detached (or that would be). */
  readonly methods: readonly AuthMethod[];
  readonly action: IdentityAction;
}

export interface InfisicalDrillResult {
  readonly path: string;
  readonly secret: InfisicalSecretRef;
  readonly projectId: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly since: string | undefined;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly scan: InfisicalScan;
  /** The page cap was reached: older rows were not read. */
  readonly truncated: boolean;
  readonly readers: readonly InfisicalReaderOutcome[];
  readonly couldRead: CouldRead | undefined;
  readonly rotation: Rotation;
}

/** Infisical's page limit, and how many pages the drill reads at most (a bounded loop). */
const pageSize = 1000;
const maxPages = 500;
/** Infisical refuses a range over 3 months; the drill asks in windows of 89 days. */
const windowMs = 89 * 86_400_000;
/** Without --since, how far back the drill looks (how long Infisical keeps audit logs depends on the plan). */
const defaultLookbackMs = 89 * 86_400_000;

export async function runInfisicalDrill(admin: InfisicalAdmin, options: InfisicalDrillOptions): Promise<InfisicalDrillResult> {
  const now = options.now();
  const startedAt = new Date(now).toISOString();
  const startMs = options.sinceMs ?? now - defaultLookbackMs;
  const scanner = new InfisicalReadScanner(options.secret, options.projectId, options.sinceMs);
  const truncated = await readWindows(admin, options, scanner, startMs, now);
  const scan = scanner.result();
  const readers: InfisicalReaderOutcome[] = [];
  for (const reader of scan.readers) readers.push(await cutOff(admin, reader, options.dryRun));
  const readPath = [options.secret.project, options.secret.environment, ...options.secret.folder.split("/").filter(Boolean), options.secret.key].join("/");
  return {
    path: options.path,
    secret: options.secret,
    projectId: options.projectId,
    window: { start: new Date(startMs).toISOString(), end: startedAt },
    since: options.sinceMs === undefined ? undefined : new Date(options.sinceMs).toISOString(),
    dryRun: options.dryRun,
    startedAt,
    scan,
    truncated,
    readers,
    couldRead: options.access && { source: options.access.source, access: whoCouldRead(options.access.graph, [readPath]) },
    rotation: await rotationStep(options.rotation, { dryRun: options.dryRun, now: new Date(options.now()) }),
  };
}

/** Every row of the folder's reads from startMs to endMs, window by window, page by page; true when the page cap stopped it. */
async function readWindows(admin: InfisicalAdmin, options: InfisicalDrillOptions, scanner: InfisicalReadScanner, startMs: number, endMs: number): Promise<boolean> {
  let pages = 0;
  for (let from = startMs; from < endMs; from += windowMs) {
    const to = Math.min(from + windowMs, endMs);
    for (let offset = 0; ; offset += pageSize) {
      if (pages++ >= maxPages) return true;
      const rows = await admin.auditLogs({
        projectId: options.projectId, environment: options.secret.environment, secretPath: options.secret.folder, eventTypes: readEventTypes,
        startDate: new Date(from).toISOString(), endDate: new Date(to).toISOString(), offset, limit: pageSize,
      });
      for (const row of rows) scanner.add(row);
      if (rows.length < pageSize) break;
    }
  }
  return false;
}

async function cutOff(admin: InfisicalAdmin, reader: InfisicalReader, dryRun: boolean): Promise<InfisicalReaderOutcome> {
  if (reader.actorType !== "identity" || reader.actorId === "") return { reader, methods: [], action: "not-an-identity" };
  const attached: AuthMethod[] = [];
  for (const method of authMethods) if (await admin.hasAuthMethod(reader.actorId, method)) attached.push(method);
  if (attached.length === 0) return { reader, methods: [], action: "no-auth-method" };
  if (dryRun) return { reader, methods: attached, action: "would-revoke" };
  const detached: AuthMethod[] = [];
  for (const method of attached) if ((await admin.detachAuthMethod(reader.actorId, method)) === "detached") detached.push(method);
  return { reader, methods: detached, action: detached.length > 0 ? "revoked" : "no-auth-method" };
}
