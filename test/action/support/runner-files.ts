// The runner's side of the file-command protocol for unit tests of Action modules: a temporary
// RUNNER_TEMP with GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files, set in
// process.env only while a test's body runs, and stdout captured meanwhile.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFileCommands } from "../../../testkit/runner-emulator/file-commands.ts";

const commandFiles = ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"] as const;

export interface StepRun {
  readonly env: Map<string, string>;
  readonly outputs: Map<string, string>;
  readonly state: Map<string, string>;
  readonly summary: string;
  /** What the step printed: log lines and ::workflow-commands::. */
  readonly stdout: string;
  readonly runnerTemp: string;
}

/**
 * Runs `step` as if on a runner, with `extraEnv` set (undefined: removed) for its duration. The
 * outcome is returned with what the step wrote, also when it throws (as `failure`); RUNNER_TEMP is
 * removed after, so a step that writes files there reads them back inside `step`.
 */
export async function runAsStep(step: () => Promise<unknown> | unknown, extraEnv: Record<string, string | undefined> = {}): Promise<StepRun & { failure: unknown }> {
  const runnerTemp = mkdtempSync(join(tmpdir(), "kb-step-"));
  const files = Object.fromEntries(commandFiles.map((name) => [name, join(runnerTemp, name.toLowerCase())]));
  for (const file of Object.values(files)) writeFileSync(file, "");
  const temp = join(runnerTemp, "temp");
  mkdirSync(temp);
  const env: Record<string, string | undefined> = { ...files, RUNNER_TEMP: temp, ...extraEnv };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  let stdout = "";
  const write = process.stdout.write;
  // The step writes text; node's test runner talks to its parent through this same stdout in
  // binary messages, which must pass untouched.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== "string") return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  apply(env);
  let failure: unknown;
  try {
    await step();
  } catch (error) {
    failure = error;
  } finally {
    process.stdout.write = write;
    apply(saved);
  }
  const read = (name: (typeof commandFiles)[number]) => readFileSync(files[name]!, "utf8");
  const run = {
    env: parseFileCommands(read("GITHUB_ENV")),
    outputs: parseFileCommands(read("GITHUB_OUTPUT")),
    state: parseFileCommands(read("GITHUB_STATE")),
    summary: read("GITHUB_STEP_SUMMARY"),
    stdout,
    runnerTemp: temp,
    failure,
  };
  rmSync(runnerTemp, { recursive: true, force: true });
  return run;
}
