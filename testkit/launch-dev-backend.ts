// Starts `keybridge dev --json` as a child process and waits for its one JSON line: how the demo,
// the end-to-end tests and the benchmarks get a dev backend that is a real, separate process.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { DevBackendInfo } from "../dev/server.ts";
import { devVaultAdmin } from "./admin/vault.ts";
import { mintJob, type OidcRequestPair } from "./admin/oidc-jobs.ts";
import { keybridgeCommandLine, type CommandLine } from "./keybridge-process.ts";

/** The --json line: the same shape startDevBackend reports in-process. */
export type { DevBackendInfo } from "../dev/server.ts";

export interface RunningDevBackend {
  readonly info: DevBackendInfo;
  readonly process: ChildProcess;
  /** Everything the backend wrote on stderr so far (its --verbose request log goes there). */
  stderr(): string;
  /** A fresh ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN pair for a job with these claims. */
  mintJob(claims: Readonly<Record<string, string>>): Promise<OidcRequestPair>;
  /** SIGTERM, then SIGKILL if it has not exited within two seconds. Resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `keybridge dev --json ARGS` as this module runs it: for callers that expect it to refuse to start. */
export function devCommandLine(extraArgs: readonly string[] = []): CommandLine {
  return keybridgeCommandLine(["dev", "--json", ...extraArgs]);
}

export async function launchDevBackend(extraArgs: readonly string[] = [], startTimeoutMs = 15_000): Promise<RunningDevBackend> {
  const { command, args } = devCommandLine(extraArgs);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(`did not print its JSON line within ${startTimeoutMs} ms`), startTimeoutMs);
    function fail(reason: string): void {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`keybridge dev ${reason}; stderr: ${stderr.trim().slice(0, 500)}`));
    }
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once("exit", (code) => fail(`exited with code ${code} before it was ready`));
  });

  const info = JSON.parse(firstLine) as DevBackendInfo;
  return {
    info,
    process: child,
    stderr: () => stderr,
    mintJob: (claims) => mintJob(devVaultAdmin(info), claims),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
