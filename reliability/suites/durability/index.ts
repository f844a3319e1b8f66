// Durability of `keybridge dev --data DIR`: a crash loop (clients write KV v2 secrets, the backend
// is killed with SIGKILL at a random moment, restarted on the same directory, and checked), then
// starts on damaged copies of the directory and with wrong keys, which must be refused with one
// clear line.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Attempt, Suite } from "../../report.ts";
import { runCrashLoop, type CrashLoopResult, type RoundResult } from "./crash-loop.ts";
import { damagedStarts } from "./damaged-starts.ts";
import { vaultCall } from "../../../testkit/admin/vault.ts";

const seed = 0xd0ab1e;
const clients = 4;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function roundAttempt(result: RoundResult): Attempt {
  const inFlight = result.writes.filter((write) => write.state === "in flight").length;
  const refused = result.writes.filter((write) => write.state === "refused");
  const check = result.check;
  const held = check !== undefined && check.lost === 0 && check.corrupted === 0 && refused.length === 0 && result.error === undefined;
  let outcome: string;
  if (result.error !== undefined || !check) outcome = `did not start again: ${result.error}`;
  else if (refused.length > 0) outcome = `${refused.length} writes refused before the kill (first: HTTP ${refused[0]!.status ?? "no answer"})`;
  else {
    outcome = `${check.acknowledged} acknowledged, all back exactly; ${inFlight} in flight (${check.inFlightSaved} saved anyway)`;
    if (check.lost + check.corrupted > 0) outcome = `lost ${check.lost}, corrupted ${check.corrupted}: ${check.problems.join("; ")}`;
  }
  return {
    tried: `round ${result.round}: ${clients} clients writing, SIGKILL after ${result.killAfterMs} ms, restart`,
    outcome: result.tornDropped ? `${outcome}; a torn change dropped at start` : outcome,
    held,
    details: {
      acknowledged: String(check?.acknowledged ?? 0),
      "in flight": String(inFlight),
      lost: String(check?.lost ?? "?"),
      corrupted: String(check?.corrupted ?? "?"),
      restart: result.restartMs === undefined ? "—" : `${Math.round(result.restartMs)} ms`,
    },
  };
}

function figures(loop: CrashLoopResult, seconds: number): Record<string, string> {
  const checks = loop.rounds.flatMap((result) => (result.check ? [result.check] : []));
  const count = (pick: (check: (typeof checks)[number]) => number): number => checks.reduce((sum, check) => sum + pick(check), 0);
  const restarts = loop.rounds.flatMap((result) => (result.restartMs === undefined ? [] : [result.restartMs]));
  const final = loop.final;
  const firstStarted = loop.rounds[0]?.round !== 0;
  return {
    rounds: `${loop.rounds.length} (${clients} clients each)`,
    "acknowledged writes": String(count((check) => check.acknowledged)),
    "writes in flight at kill time": String(loop.rounds.reduce((sum, result) => sum + result.writes.filter((write) => write.state === "in flight").length, 0)),
    "in flight but saved (the answer was lost, not the write)": String(count((check) => check.inFlightSaved)),
    recovered: `${count((check) => check.recovered)} after each restart; ${final?.recovered ?? 0} of ${final?.acknowledged ?? 0} again after the last`,
    lost: String(count((check) => check.lost) + (final?.lost ?? 0)),
    corrupted: String(count((check) => check.corrupted) + (final?.corrupted ?? 0)),
    "backend started": `${restarts.length + (firstStarted ? 1 : 0)} of ${loop.rounds.length + 1} starts`,
    "torn last change dropped at start": `${loop.rounds.filter((result) => result.tornDropped).length} of ${restarts.length} restarts`,
    "median restart time": `${Math.round(median(restarts))} ms (process start to ready, Node and tsx included)`,
    duration: `${seconds.toFixed(1)} s`,
  };
}

/** A few acknowledged changes after the last restart, so that the file has records to swap and drop. */
async function writeMarkers(addr: string, rootToken: string): Promise<void> {
  for (let marker = 0; marker < 4; marker++) {
    await vaultCall({ addr, token: rootToken }, "POST", `secret/data/crash/markers/${marker}`, { body: { data: { value: `marker-${marker}` } } });
  }
}

export const durability: Suite = async ({ quick, log }) => {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), "kb-durability-"));
  const dir = join(root, "data");
  const key = (name: string, mode: number) => writeFile(join(root, name), `${randomBytes(32).toString("base64")}\n`, { mode }).then(() => join(root, name));
  const rootToken = `hvs.${randomBytes(18).toString("base64url")}`;
  // The key comes from the flag only: an inherited KEYBRIDGE_DEV_DATA_KEY would hide the no-key refusal.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "KEYBRIDGE_DEV_DATA_KEY"));
  try {
    const keyFile = await key("key", 0o600);
    const loop = await runCrashLoop({
      rounds: quick ? 8 : 50,
      clients,
      args: ["--data", dir, "--data-key-file", keyFile, "--root-token", rootToken],
      rootToken,
      seed,
      log,
    });
    const attempts = loop.rounds.map(roundAttempt);
    const final = loop.final;
    if (final) {
      attempts.push({
        tried: `every acknowledged write of all ${loop.rounds.length} rounds, read again after the last restart`,
        outcome: final.lost + final.corrupted === 0 ? `${final.recovered} of ${final.acknowledged} back exactly, nothing corrupted` : `lost ${final.lost}, corrupted ${final.corrupted}: ${final.problems.join("; ")}`,
        held: final.lost === 0 && final.corrupted === 0 && final.recovered === final.acknowledged,
      });
    }
    if (loop.backend) {
      await writeMarkers(loop.backend.info.vault.addr, rootToken);
      const code = await loop.backend.stop();
      attempts.push({ tried: "SIGTERM after the loop", outcome: `exit ${code}`, held: code === 0 });
      attempts.push(...(await damagedStarts({ dir, root, keyFile, otherKeyFile: await key("other-key", 0o600), openKeyFile: await key("open-key", 0o644), env, log })));
    }
    return {
      name: "Durability",
      about: `\`keybridge dev --data DIR\` runs as a process while ${clients} clients write KV v2 secrets (a unique key and value per write, and versions of one shared key per round); it is killed with SIGKILL at a moment a seeded generator picks (20 to 450 ms after the clients start), started again on the same directory, and checked: every acknowledged write (200/204) must be there with its exact value and version, everything there must be a value some client sent, versions must run without a gap, and the backend must start every time. Then copies of the directory are damaged (a flipped byte, a changed header, swapped or dropped records) or opened with another key or a key file others may read: each start must be refused with one line that names the file (and the record), with nothing served and the file left as it was; a last record cut short (a crash mid-append) must be dropped with a note.`,
      attempts,
      figures: figures(loop, (performance.now() - started) / 1000),
      notes: [
        "SIGKILL ends the process, not the machine: an acknowledged write was fsync-ed (and a rewritten file's directory too), so it survives power loss on a disk that honours fsync; the suite cannot cut power, and a disk that acknowledges fsync before the data is stable can still lose it.",
        "A file cut exactly at a record boundary, or the whole directory put back to an older copy, reads as a shorter history: without state kept outside DIR it cannot be told from one. A cut inside a record is noticed (the last one is dropped as a torn append; one inside the snapshot refuses the start).",
      ],
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};
