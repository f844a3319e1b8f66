// `keybridge ARGS` as a process with a clean environment (PATH, HOME and what the test gives),
// its output collected, killed if it runs past a minute.
import { spawn } from "node:child_process";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

export interface Run { code: number | null; stdout: string; stderr: string }

export function runKeybridge(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    const cli = keybridgeCommandLine(args);
    const child = spawn(cli.command, [...cli.args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? "", HOME: options.cwd, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
