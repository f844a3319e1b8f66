// Child processes for the benchmarks: timed from spawn to exit, always bounded by a timeout, and
// long-running helpers (servers) that are stopped by their pid.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface Timed {
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clean environment for a measured child: no NODE_OPTIONS or npm variables leak in. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "LANG", "TZ"]) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return { ...env, ...extra };
}

/** Runs `node ...args` and measures the wall time from spawn to exit (stdio closed). */
export function timeNode(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: options.env ?? cleanEnv(), cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      resolve({ ms, code, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

export interface Helper {
  readonly child: ChildProcess;
  readonly firstLine: string;
  stop(): Promise<void>;
}

/** Starts `node ...args`, waits for its first stdout line; stop() sends SIGTERM, then SIGKILL after 2 s. */
export async function startHelper(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; startTimeoutMs?: number } = {}): Promise<Helper> {
  const child = spawn(process.execPath, args, { env: options.env ?? cleanEnv(), cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} printed nothing within ${options.startTimeoutMs ?? 15_000} ms; stderr: ${stderr.slice(0, 300)}`));
    }, options.startTimeoutMs ?? 15_000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code} before it was ready; stderr: ${stderr.slice(0, 300)}`));
    });
  });
  return {
    child,
    firstLine,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
