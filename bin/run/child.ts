// Runs the user's program with the secrets in its environment (never on disk), forwards SIGINT and
// SIGTERM to it, and reports how it ended.
import { spawn } from "node:child_process";

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningChild {
  readonly exited: Promise<ChildExit>;
  kill(signal: NodeJS.Signals): void;
}

const forwarded: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export function startChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): RunningChild {
  const child = spawn(command, [...args], { env, stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of forwarded) process.on(signal, forward);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      process.stderr.write(`keybridge run: cannot start ${command} (${error.code ?? error.message}); check the command and PATH\n`);
      resolve({ code: 127, signal: null });
    });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  }).finally(() => {
    for (const signal of forwarded) process.off(signal, forward);
  });
  return { exited, kill: (signal) => child.kill(signal) };
}

/** The exit code a shell would report: the child's own, or 128 + the signal that ended it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return 128 + (exit.signal ? (numbers[exit.signal] ?? 1) : 1);
}
