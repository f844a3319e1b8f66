// Runs the user's program with the secrets in its environment (never on disk), forwards SIGINT and
// SIGTERM to it, and reports how it ended.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningChild {
  readonly exited: Promise<ChildExit>;
  kill(signal: NodeJS.Signals): void;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The program a bare command name means on keybridge's own PATH, as a shell finds it (a name with a
 * slash is used as it is), or undefined when no directory holds it. Resolving here keeps a PATH
 * among the secrets from choosing which program starts: spawn would search the child's PATH.
 */
export function resolveCommand(command: string, path: string | undefined, platform = process.platform): string | undefined {
  if (command.includes("/") || (platform === "win32" && command.includes("\\")) || isAbsolute(command)) return command;
  const extensions = platform === "win32" ? ["", ...(process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const directory of (path ?? "").split(delimiter)) {
    if (directory === "") continue;
    for (const extension of extensions) {
      const candidate = join(directory, command + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

const forwarded: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Starts `command` (a path, see resolveCommand) with `argv0` as the name the program sees itself called by. */
export function startChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv, argv0 = command): RunningChild {
  // Handlers first: the program may run (and be signalled through us) before spawn returns, and a
  // signal with no handler would end keybridge without passing it on or revoking anything.
  let child: ChildProcess | undefined;
  const early: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => (child ? child.kill(signal) : early.push(signal));
  for (const signal of forwarded) process.on(signal, forward);
  const running = spawn(command, [...args], { env, stdio: "inherit", argv0 });
  child = running;
  for (const signal of early) running.kill(signal);
  const exited = new Promise<ChildExit>((resolve) => {
    running.once("error", (error: NodeJS.ErrnoException) => {
      process.stderr.write(`keybridge run: cannot start ${command} (${error.code ?? error.message}); check the command and PATH\n`);
      resolve({ code: 127, signal: null });
    });
    running.once("exit", (code, signal) => resolve({ code, signal }));
  }).finally(() => {
    for (const signal of forwarded) process.off(signal, forward);
  });
  return { exited, kill: (signal) => running.kill(signal) };
}

/** The exit code a shell would report: the child's own, or 128 + the signal that ended it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return 128 + (exit.signal ? (numbers[exit.signal] ?? 1) : 1);
}
