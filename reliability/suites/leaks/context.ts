// What the leaks suite's flows share: the dev backend, a work directory, the bundles, counters.
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../../testkit/runner-emulator/job.ts";
import type { VaultAdmin } from "../../../testkit/admin/vault.ts";
import { findLeaks, type Source, type ValueParts } from "./scan.ts";

export const mainScript = fileURLToPath(new URL("../../../dist/main.js", import.meta.url));
export const postScript = fileURLToPath(new URL("../../../dist/post.js", import.meta.url));

export const maskEncodingsInput = "base64,base64url,url,json";

export interface Stats {
  /** ::add-mask:: commands printed by every main step. */
  masks: number;
  /** Size of every text searched, each counted once. */
  bytesScanned: number;
  /** Part × text look-ups. */
  lookups: number;
  /** Action steps run (main and post). */
  steps: number;
}

export interface Context {
  readonly backend: RunningDevBackend;
  readonly admin: VaultAdmin;
  readonly work: string;
  /** The backend's --audit-log file. */
  readonly auditLog: string;
  readonly log: (line: string) => void;
  readonly stats: Stats;
  readonly jobs: LocalJob[];
}

export async function newJob(context: Context): Promise<LocalJob> {
  const job = await LocalJob.create();
  context.jobs.push(job);
  return job;
}

/** Runs main for a job with these claims; failures to even run become a thrown Error without values. */
export async function runMain(context: Context, job: LocalJob, claims: Readonly<Record<string, string>>, inputs: Record<string, string>): Promise<StepResult> {
  const env = oidcEnv(await context.backend.mintJob(claims));
  context.stats.steps += 1;
  try {
    return await job.runStep(mainScript, { inputs, env, timeoutMs: 60_000 });
  } catch (error) {
    // parseFileCommands quotes the start of a bad line, which may be a value: keep only what failed.
    throw new Error(`the runner could not read what main wrote (${error instanceof Error && /closing delimiter/.test(error.message) ? "a heredoc has no closing delimiter" : "a file command line is malformed"})`);
  }
}

export async function runPost(context: Context, job: LocalJob, inputs: Record<string, string>, main: StepResult): Promise<StepResult> {
  context.stats.steps += 1;
  return job.runStep(postScript, { inputs, state: main.state, timeoutMs: 60_000 });
}

/** Where a step's own files put text a user sees or that later steps get without asking for it. */
export function stepFileSources(step: StepResult, prefix: string): Source[] {
  return [
    { where: `${prefix} job summary`, text: step.summary },
    { where: `${prefix} saved state`, text: [...step.state].map(([name, value]) => `${name}=${value}`).join("\n") },
  ];
}

export function scanFor(context: Context, parts: ValueParts, sources: readonly Source[]): string[] {
  context.stats.lookups += parts.forbidden.length * sources.length;
  return findLeaks(parts, sources);
}

export function countScanned(context: Context, sources: readonly Source[]): void {
  context.stats.bytesScanned += sources.reduce((sum, source) => sum + Buffer.byteLength(source.text, "utf8"), 0);
}

/** Every regular file under `dir` (relative paths). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string, relative: string): void => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path, join(relative, entry));
      else out.push(join(relative, entry));
    }
  };
  walk(dir, "");
  return out;
}

/** Sources a dotenv file with bash (`set -a; . file`) and returns each name's value. */
export function sourceDotenv(file: string, names: readonly string[], cwd: string): Promise<Map<string, string>> {
  const script = 'set -a; . "$1" || exit 3; shift; for n in "$@"; do printf "%s\\0" "${!n}"; done';
  return new Promise((resolve, reject) => {
    execFile("bash", ["-c", script, "bash", file, ...names], { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, encoding: "buffer", maxBuffer: 64 * 1024 * 1024, timeout: 30_000 }, (error, stdout) => {
      if (error) {
        reject(new Error(`bash could not source the dotenv file (exit ${(error as { code?: unknown }).code ?? "?"})`));
        return;
      }
      const values = stdout.toString("utf8").split("\0");
      resolve(new Map(names.map((name, index) => [name, values[index] ?? ""])));
    });
  });
}

