// The leaked-credential drill: who read the path (from the audit log), which of their tokens
// still live (their accessors' HMACs, computed by the backend, matched against the log's),
// cutting those off (tokens by accessor, database leases by prefix), and who could read it
// again (the access graph of the configuration). A dry run does every read-only step and changes
// nothing.
import { resolve } from "node:path";
import { settleAll } from "../../client/parallel.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { AccessGraph } from "../../policy/access/graph.ts";
import { scanAuditLog, type AuditScan, type TokenReads } from "./audit-scan.ts";
import { readMatcher } from "./read-paths.ts";
import { rotationStep, whoCouldRead, type CouldRead, type GeneratedRotation, type Rotation } from "./could-read.ts";
import type { AuditDevice, VaultAdmin } from "./vault-admin.ts";

export interface DrillOptions {
  readonly path: string;
  readonly auditLog: string;
  readonly sinceMs: number | undefined;
  readonly dryRun: boolean;
  /** The device that wrote the log, when the backend has several (`file/`). */
  readonly auditDevice: string | undefined;
  /** The configuration that says who may read what, with where it came from. */
  readonly access: { readonly source: string; readonly graph: AccessGraph } | undefined;
  /** When the path is a generated secret of the policy document: where to write its new value. */
  readonly rotation?: GeneratedRotation | undefined;
  readonly now: () => number;
}

/** What happened to one reader's token. */
export type ReaderAction =
  | "revoked"
  | "would-revoke"
  /** Not among the live tokens: it expired or was revoked before the drill. */
  | "not-live"
  /** Live when matched, gone when revoked. */
  | "already-gone"
  /** The token running the drill: cutting it off would end the drill half-way. */
  | "drill-token";

export interface ReaderOutcome {
  readonly token: TokenReads;
  /** The live accessor whose HMAC is the log's; undefined when none is. */
  readonly accessor: string | undefined;
  readonly action: ReaderAction;
}

export interface LeaseOutcome {
  readonly prefix: string;
  readonly action: "revoked" | "would-revoke";
}

export interface DrillResult {
  readonly path: string;
  readonly readPaths: readonly string[];
  readonly auditLog: string;
  readonly device: string | undefined;
  readonly since: string | undefined;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly scan: AuditScan;
  readonly readers: readonly ReaderOutcome[];
  readonly leases: readonly LeaseOutcome[];
  /** undefined when no configuration was given (--from). */
  readonly couldRead: CouldRead | undefined;
  readonly rotation: Rotation;
}

/** Parallel hash requests: enough to keep a round trip busy, few enough not to load a cluster. */
const hashConcurrency = 8;

export async function runDrill(admin: VaultAdmin, options: DrillOptions): Promise<DrillResult> {
  const startedAt = new Date(options.now()).toISOString();
  const matcher = readMatcher(options.path);
  const scan = await scanAuditLog(options.auditLog, matcher, options.sinceMs);
  const device = scan.tokens.length === 0 ? undefined : await chooseDevice(await admin.auditDevices(), options.auditLog, options.auditDevice);
  const readers = device === undefined ? [] : await matchAndRevoke(admin, device, scan.tokens, options.dryRun);
  const leases: LeaseOutcome[] = [];
  for (const prefix of scan.databaseCredPaths) {
    if (!options.dryRun) await admin.revokeLeasePrefix(prefix);
    leases.push({ prefix, action: options.dryRun ? "would-revoke" : "revoked" });
  }
  const readPaths = scan.tokens.length > 0 ? [...new Set(scan.tokens.flatMap((token) => [...token.paths]))].sort() : [...matcher.paths];
  return {
    path: options.path,
    readPaths,
    auditLog: options.auditLog,
    device,
    since: options.sinceMs === undefined ? undefined : new Date(options.sinceMs).toISOString(),
    dryRun: options.dryRun,
    startedAt,
    scan,
    readers,
    leases,
    couldRead: options.access && { source: options.access.source, access: whoCouldRead(options.access.graph, readPaths) },
    rotation: await rotationStep(options.rotation, { dryRun: options.dryRun, now: new Date(options.now()) }),
  };
}

/** The device whose file is the log; else the only one; else the operator must say. */
export function chooseDevice(devices: readonly AuditDevice[], auditLog: string, given: string | undefined): string {
  const names = devices.map((device) => device.path);
  if (given !== undefined) {
    const path = `${given.replace(/^\/+|\/+$/g, "")}/`;
    if (!names.includes(path)) throw new KeybridgeError("KB_AUDIT_DEVICE_UNKNOWN", `--audit-device ${given}: Vault has no such audit device (it has: ${names.join(", ") || "none"}); name one of those`);
    return path;
  }
  if (devices.length === 0) {
    throw new KeybridgeError("KB_AUDIT_DEVICE_UNKNOWN", `Vault has no audit device enabled, so the HMACs in ${auditLog} cannot be matched to live tokens; enable the device that wrote it again (same path, same salt) or revoke by hand`);
  }
  const same = devices.filter((device) => device.filePath !== undefined && resolve(device.filePath) === resolve(auditLog));
  if (same.length === 1) return same[0]!.path;
  if (devices.length === 1) return devices[0]!.path;
  throw new KeybridgeError("KB_AUDIT_DEVICE_UNKNOWN", `cannot tell which audit device wrote ${auditLog} (Vault has ${names.join(", ")}); name it with --audit-device`);
}

async function matchAndRevoke(admin: VaultAdmin, device: string, tokens: readonly TokenReads[], dryRun: boolean): Promise<ReaderOutcome[]> {
  const ownAccessor = await admin.ownAccessor();
  const byHmac = await hashLiveAccessors(admin, device);
  const outcomes: ReaderOutcome[] = [];
  for (const token of tokens) {
    const accessor = byHmac.get(token.accessorHmac);
    if (accessor === undefined) outcomes.push({ token, accessor, action: "not-live" });
    else if (accessor === ownAccessor) outcomes.push({ token, accessor, action: "drill-token" });
    else if (dryRun) outcomes.push({ token, accessor, action: "would-revoke" });
    else outcomes.push({ token, accessor, action: await admin.revokeAccessor(accessor) });
  }
  return outcomes;
}

/** HMAC of each live accessor → the accessor, as the device writes it. */
async function hashLiveAccessors(admin: VaultAdmin, device: string): Promise<Map<string, string>> {
  const accessors = await admin.liveAccessors();
  const hashed = await settleAll(accessors, hashConcurrency, (accessor) => admin.auditHash(device, accessor));
  const byHmac = new Map<string, string>();
  hashed.forEach((result, index) => {
    if (result.status === "rejected") throw result.reason;
    byHmac.set(result.value, accessors[index]!);
  });
  return byHmac;
}
