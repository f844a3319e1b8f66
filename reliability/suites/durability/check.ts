// After a restart: is every acknowledged write there, with its exact value, and is everything that
// is there something a client wrote? Per round: each unique key must hold the one value written to
// it, as version 1; the shared key's versions must run 1..current without a gap, each holding a
// distinct value some client sent, and every acknowledged version exactly the value it was given.
import { sharedKey, type Write } from "./writers.ts";
import { vaultCall } from "../../../testkit/admin/vault.ts";

export interface CheckResult {
  readonly acknowledged: number;
  /** Acknowledged writes read back exactly. */
  readonly recovered: number;
  /** Acknowledged writes missing or changed. */
  readonly lost: number;
  /** Values no client sent, versions out of place, or a write applied twice. */
  readonly corrupted: number;
  /** Writes in flight at the kill that turned out to be saved (allowed: the answer was lost, not the write). */
  readonly inFlightSaved: number;
  /** The first few problems, for the report. */
  readonly problems: readonly string[];
}

type Vault = (path: string) => Promise<{ status: number; body: any }>;

export function vaultReader(addr: string, token: string): Vault {
  return (path) => vaultCall({ addr, token }, path.endsWith("/") ? "LIST" : "GET", path, { timeoutMs: 10_000 });
}

/** Runs `task` over `items`, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

export async function checkRound(vault: Vault, round: number, writes: readonly Write[]): Promise<CheckResult> {
  const problems: string[] = [];
  let lost = 0;
  let corrupted = 0;
  let recovered = 0;
  let inFlightSaved = 0;
  const note = (problem: string): void => {
    if (problems.length < 5) problems.push(problem);
  };
  const shared = sharedKey(round);
  const byKey = new Map<string, Write>();
  for (const write of writes) if (write.key !== shared) byKey.set(write.key, write);
  const sharedWrites = new Map(writes.filter((write) => write.key === shared).map((write) => [write.value, write]));

  const listed = await vault(`secret/metadata/crash/r${round}/`);
  const keys = new Set<string>(listed.status === 200 ? listed.body.data.keys.map((key: string) => `crash/r${round}/${key}`) : []);
  if (listed.status !== 200 && listed.status !== 404) {
    return { acknowledged: 0, recovered: 0, lost: 0, corrupted: 1, inFlightSaved: 0, problems: [`listing round ${round} answered ${listed.status}`] };
  }

  await inParallel([...byKey.values()], 16, async (write) => {
    if (!keys.has(write.key)) {
      if (write.state === "acknowledged") {
        lost++;
        note(`${write.key}: acknowledged, missing after the restart`);
      }
      return;
    }
    const read = await vault(`secret/data/${write.key}`);
    const value = read.body?.data?.data?.value;
    const version = read.body?.data?.metadata?.version;
    if (read.status !== 200 || value !== write.value || version !== 1) {
      if (write.state === "acknowledged") lost++;
      else corrupted++;
      note(`${write.key}: reads ${read.status}, version ${version}, ${value === write.value ? "the value written" : "another value"}`);
      return;
    }
    if (write.state === "acknowledged") recovered++;
    else inFlightSaved++;
  });
  for (const key of keys) {
    if (key !== shared && !byKey.has(key)) {
      corrupted++;
      note(`${key}: no client wrote this key`);
    }
  }

  const meta = await vault(`secret/metadata/${shared}`);
  const current: number = meta.status === 200 ? meta.body.data.current_version : 0;
  const versions = meta.status === 200 ? Object.keys(meta.body.data.versions).map(Number).sort((a, b) => a - b) : [];
  if (versions.length !== current || versions.some((number, index) => number !== index + 1)) {
    corrupted++;
    note(`${shared}: versions ${versions.join(",")} with current ${current}: not contiguous from 1`);
  }
  const seen = new Set<string>();
  const byVersion = new Map<number, string>();
  await inParallel(versions, 16, async (number) => {
    const read = await vault(`secret/data/${shared}?version=${number}`);
    const value: unknown = read.body?.data?.data?.value;
    const write = typeof value === "string" ? sharedWrites.get(value) : undefined;
    if (read.status !== 200 || !write || seen.has(value as string)) {
      corrupted++;
      note(`${shared} version ${number}: ${read.status !== 200 ? `reads ${read.status}` : !write ? "a value no client sent" : "a value saved twice"}`);
      return;
    }
    seen.add(write.value);
    byVersion.set(number, write.value);
    if (write.state !== "acknowledged") inFlightSaved++;
  });
  for (const write of sharedWrites.values()) {
    if (write.state !== "acknowledged") continue;
    if (write.version !== undefined && byVersion.get(write.version) === write.value) recovered++;
    else {
      lost++;
      note(`${shared}: acknowledged version ${write.version} does not hold its value`);
    }
  }
  const acknowledged = writes.filter((write) => write.state === "acknowledged").length;
  return { acknowledged, recovered, lost, corrupted, inFlightSaved, problems };
}
