// What a start on a damaged data directory must do: refuse within a bounded time, exit 1, print
// exactly one line on stderr that names the file and the record and says "changed on disk or the
// key is wrong", serve nothing (no JSON line), and leave the file as it was. A change cut short by a
// crash is the one exception: dropped with a note, and the backend starts.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { devCommandLine } from "../../../testkit/launch-dev-backend.ts";
import { withoutCode } from "../error-line.ts";

export interface StartOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Starts `keybridge dev --json ARGS` and waits for it to exit, or to be ready (then stops it). */
export function tryStart(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<StartOutcome> {
  const { command, args: argv } = devCommandLine(args);
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    // It started: that is the answer; stop it.
    if (stdout.includes("\n")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export interface Refusal {
  readonly held: boolean;
  readonly outcome: string;
}

/** Checks one refused start against the promise, for a file that must stay as it was. */
export async function judgeRefusal(outcome: StartOutcome, file: string, before: Buffer, pattern: RegExp): Promise<Refusal> {
  const lines = outcome.stderr.split("\n").filter((line) => line !== "");
  const unchanged = (await readFile(file)).equals(before);
  const problems = [
    ...(outcome.code === 1 ? [] : [`exit ${outcome.code}`]),
    ...(outcome.stdout === "" ? [] : ["it served (printed its JSON line)"]),
    ...(lines.length === 1 ? [] : [`${lines.length} lines on stderr`]),
    ...(pattern.test(withoutCode(lines[0] ?? "")) ? [] : ["the line does not start with its code and say what it must"]),
    ...(unchanged ? [] : ["the file was changed"]),
  ];
  const said = (lines[0] ?? "").replace(/^keybridge dev: \S*\/(vault\.kbd)/, "keybridge dev: …/$1").slice(0, 220);
  return {
    held: problems.length === 0,
    outcome: problems.length === 0 ? `exit 1 in ${Math.round(outcome.ms)} ms, file untouched: "${said}"` : `${problems.join("; ")}: ${said}`,
  };
}
