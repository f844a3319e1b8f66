// Runs a Python client script (Debian's python3-hvac drives the dev backend in conformance tests)
// with a JSON document on stdin, and answers what it printed.
import { spawn } from "node:child_process";

export interface PythonRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runPython(script: string, input: unknown): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/python3", [script], { stdio: ["pipe", "pipe", "pipe"], timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(input));
  });
}
