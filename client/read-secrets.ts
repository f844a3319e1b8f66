// Reads each distinct path of the requests once, in parallel over one connection pool, and
// collects every failure: used by the Action and by `keybridge run`, so both fail the same way.
import { KeybridgeError, describeError } from "../policy/errors/keybridge-error.ts";
import { settleAll } from "./parallel.ts";
import type { SecretRead, SecretsBackend, Session } from "./backends/backend.ts";
import type { SecretRequest } from "./secrets-spec.ts";
import { connectionsPerOrigin } from "./http/http-client.ts";

/** Parallel reads per step at most: as many as the keep-alive pool has connections. */
export const readConcurrency = connectionsPerOrigin;

/**
 * Parallel reads for `paths` paths: the fewest that still read them in the fewest rounds the bound
 * allows. 20 paths take two rounds either way, so 10 connections instead of 16: each connection
 * is a handshake on both ends that the same rounds do not need.
 */
export function readWorkers(paths: number): number {
  if (paths <= 0) return 0;
  const rounds = Math.ceil(paths / readConcurrency);
  return Math.ceil(paths / rounds);
}

/**
 * How many connections a step's reads of `requests` will use, worth opening while it logs in:
 * readWorkers of its distinct paths, or one for a backend that reads many paths in one request.
 */
export function readConnections(backend: SecretsBackend, requests: readonly SecretRequest[]): number {
  if (backend.readBatch) return 1;
  return readWorkers(new Set(requests.map((request) => request.path)).size);
}

export interface ReadOutcome {
  readonly reads: Map<string, SecretRead>;
  /** Paths that did not exist, skipped because ignoreNotFound was set. */
  readonly skipped: string[];
}

export interface ReadOptions {
  readonly ignoreNotFound: boolean;
  /** Told about each skipped path. */
  readonly warn: (line: string) => void;
  /** What a failure means for the caller, the last line: "Nothing was exported". */
  readonly consequence: string;
}

export async function readSecrets(backend: SecretsBackend, session: Session, requests: readonly SecretRequest[], options: ReadOptions): Promise<ReadOutcome> {
  const paths = [...new Set(requests.map((request) => request.path))];
  const batched = backend.readBatch ? await backend.readBatch(session, paths) : new Map<string, SecretRead>();
  const rest = paths.filter((path) => !batched.has(path));
  const outcomes = await settleAll(rest, readWorkers(rest.length), (path) => backend.read(session, path));
  const reads = new Map<string, SecretRead>();
  const skipped: string[] = [];
  const failures: string[] = [];
  const byPath = new Map(rest.map((path, index) => [path, outcomes[index]!]));
  for (const path of paths) {
    const outcome: PromiseSettledResult<SecretRead> = batched.has(path) ? { status: "fulfilled", value: batched.get(path)! } : byPath.get(path)!;
    if (outcome.status === "fulfilled") reads.set(path, outcome.value);
    else if (options.ignoreNotFound && outcome.reason instanceof KeybridgeError && outcome.reason.code === "KB_SECRET_NOT_FOUND") {
      options.warn(`${outcome.reason.message} (skipped: ignore-not-found is true)`);
      skipped.push(path);
    } else failures.push(describeError(outcome.reason));
  }
  if (failures.length > 0) {
    failures.push(`${options.consequence}: ${failures.length} of ${paths.length} path${paths.length === 1 ? "" : "s"} could not be read`);
    throw new KeybridgeError("KB_READ_FAILED", failures.join("\n"));
  }
  return { reads, skipped };
}
