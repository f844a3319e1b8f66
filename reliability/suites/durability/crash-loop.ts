// The crash loop: `keybridge dev --data DIR` as a process, clients writing, SIGKILL at a moment a
// seeded generator picks, a restart on the same DIR, and a check of what came back, round after
// round. A round that cannot start the backend again ends the loop (that is the failure).
import { setTimeout as sleep } from "node:timers/promises";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { Rng } from "../leaks/prng.ts";
import { checkRound, vaultReader, type CheckResult } from "./check.ts";
import { startWriters, type Write } from "./writers.ts";
import { vaultCall } from "../../../testkit/admin/vault.ts";

export interface CrashLoopOptions {
  readonly rounds: number;
  readonly clients: number;
  /** The flags every start gets: --data, --data-key-file, --root-token. */
  readonly args: readonly string[];
  readonly rootToken: string;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface RoundResult {
  readonly round: number;
  readonly killAfterMs: number;
  readonly writes: readonly Write[];
  /** Spawn to ready (Node and tsx included); undefined when it did not start. */
  readonly restartMs?: number;
  /** The restart said it dropped a change cut short by the kill. */
  readonly tornDropped: boolean;
  readonly check?: CheckResult;
  readonly error?: string;
}

export interface CrashLoopResult {
  readonly rounds: readonly RoundResult[];
  /** Every round's writes checked again after the last restart. */
  readonly final?: CheckResult;
  /** The last backend, still running: the caller stops it. */
  readonly backend?: RunningDevBackend;
}

const killWindowMs = { min: 20, max: 450 };

async function restart(args: readonly string[]): Promise<{ backend?: RunningDevBackend; ms: number; error?: string }> {
  const started = performance.now();
  try {
    const backend = await launchDevBackend(args);
    return { backend, ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error: (error as Error).message.split("\n")[0] };
  }
}

function sum(results: readonly CheckResult[], field: Exclude<keyof CheckResult, "problems">): number {
  return results.reduce((total, result) => total + result[field], 0);
}

export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopResult> {
  const first = await restart(options.args);
  if (!first.backend) return { rounds: [{ round: 0, killAfterMs: 0, writes: [], tornDropped: false, error: first.error }] };
  const current = { backend: first.backend };
  try {
    return await loop(options, current);
  } catch (error) {
    // Nothing may outlive the suite: an unexpected failure still ends the backend it started.
    current.backend.process.kill("SIGKILL");
    throw error;
  }
}

async function loop(options: CrashLoopOptions, current: { backend: RunningDevBackend }): Promise<CrashLoopResult> {
  const kills = new Rng(options.seed);
  const values = new Rng(options.seed ^ 0x5eed);
  let backend = current.backend;
  const read = () => vaultReader(backend.info.vault.addr, options.rootToken);
  // Every version of the shared keys is kept, so every acknowledged one can be checked.
  const config = await vaultCall({ addr: backend.info.vault.addr, token: options.rootToken }, "POST", "secret/config", { body: { max_versions: 100_000 } });
  if (config.status !== 204) throw new Error(`configuring secret/ answered ${config.status}`);

  const rounds: RoundResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const killAfterMs = kills.int(killWindowMs.min, killWindowMs.max);
    const writers = startWriters(backend.info.vault.addr, options.rootToken, round, options.clients, values);
    await sleep(killAfterMs);
    writers.markKilled();
    const exited = new Promise<void>((resolve) => backend.process.once("exit", () => resolve()));
    backend.process.kill("SIGKILL");
    await exited;
    await writers.done();
    const next = await restart(options.args);
    if (!next.backend) {
      rounds.push({ round, killAfterMs, writes: writers.writes, tornDropped: false, error: next.error });
      options.log(`round ${round}: the backend did not start again: ${next.error}`);
      return { rounds };
    }
    backend = current.backend = next.backend;
    const check = await checkRound(read(), round, writers.writes);
    const tornDropped = /cut short by a crash/.test(backend.stderr());
    rounds.push({ round, killAfterMs, writes: writers.writes, restartMs: next.ms, tornDropped, check });
    const inFlight = writers.writes.filter((write) => write.state === "in flight").length;
    options.log(`round ${round}: killed after ${killAfterMs} ms; ${check.acknowledged} acknowledged, ${inFlight} in flight (${check.inFlightSaved} saved); lost ${check.lost}, corrupted ${check.corrupted}; restart ${Math.round(next.ms)} ms${tornDropped ? "; a torn change dropped" : ""}`);
  }

  const finals: CheckResult[] = [];
  for (const result of rounds) finals.push(await checkRound(read(), result.round, result.writes));
  const final: CheckResult = {
    acknowledged: sum(finals, "acknowledged"),
    recovered: sum(finals, "recovered"),
    lost: sum(finals, "lost"),
    corrupted: sum(finals, "corrupted"),
    inFlightSaved: sum(finals, "inFlightSaved"),
    problems: finals.flatMap((result) => result.problems).slice(0, 5),
  };
  return { rounds, final, backend };
}
