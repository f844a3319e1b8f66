// Runs an Action's entry point as a real process under the GitHub runner's file protocol, so the
// committed bundle can be exercised locally exactly as a runner would start it: INPUT_* variables,
// per-step GITHUB_ENV/GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY files, RUNNER_TEMP, state
// handed from main to post as STATE_*, and exported variables carried into later steps.
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFileCommands } from "./file-commands.ts";
import { registeredMasks } from "./masked-log.ts";

export interface StepOptions {
  /** Action inputs by their action.yml names (`export-env`, not `INPUT_EXPORT-ENV`). */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Extra environment for this step only (for example the OIDC request pair). */
  readonly env?: Readonly<Record<string, string>>;
  /** State saved by an earlier step of the same action, handed over as STATE_*. */
  readonly state?: ReadonlyMap<string, string>;
  /** Kill the step after this long; tests must never hang. */
  readonly timeoutMs?: number;
  /** The program (and its arguments) that runs the script: another node, or one under /usr/bin/time. Default: this node. */
  readonly command?: readonly string[];
}

export interface StepResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly masks: readonly string[];
  readonly exportedEnv: ReadonlyMap<string, string>;
  readonly outputs: ReadonlyMap<string, string>;
  readonly state: ReadonlyMap<string, string>;
  readonly summary: string;
  readonly elapsedMs: number;
}

/** Variables of the machine that a step may see; everything else is set by the job. */
const inheritedVariables = ["PATH", "HOME", "LANG", "TZ", "SYSTEMROOT"];

export class LocalJob {
  private readonly exported = new Map<string, string>();
  private stepCount = 0;

  private constructor(
    readonly root: string,
    readonly runnerTemp: string,
    readonly workspace: string,
  ) {}

  static async create(): Promise<LocalJob> {
    const root = await mkdtemp(join(tmpdir(), "keybridge-job-"));
    const job = new LocalJob(root, join(root, "runner-temp"), join(root, "workspace"));
    await mkdir(job.runnerTemp);
    await mkdir(job.workspace);
    return job;
  }

  /** Variables exported by earlier steps (what later steps of the job see). */
  get env(): ReadonlyMap<string, string> {
    return this.exported;
  }

  async runStep(script: string, options: StepOptions = {}): Promise<StepResult> {
    const stepDir = join(this.root, `step-${++this.stepCount}`);
    await mkdir(stepDir);
    const files = {
      GITHUB_ENV: join(stepDir, "env"),
      GITHUB_OUTPUT: join(stepDir, "output"),
      GITHUB_STATE: join(stepDir, "state"),
      GITHUB_STEP_SUMMARY: join(stepDir, "summary.md"),
    };
    await Promise.all(Object.values(files).map((file) => writeFile(file, "")));

    const env: Record<string, string> = {};
    for (const name of inheritedVariables) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    Object.assign(env, Object.fromEntries(this.exported), files, {
      GITHUB_ACTIONS: "true",
      CI: "true",
      RUNNER_TEMP: this.runnerTemp,
      GITHUB_WORKSPACE: this.workspace,
    });
    for (const [name, value] of options.state ?? []) env[`STATE_${name}`] = value;
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
    }
    Object.assign(env, options.env);

    const started = performance.now();
    const { exitCode, signal, stdout, stderr } = await runProcess(options.command ?? [process.execPath], script, env, this.workspace, options.timeoutMs ?? 60_000);
    const elapsedMs = performance.now() - started;

    const exportedEnv = parseFileCommands(await readFile(files.GITHUB_ENV, "utf8"));
    for (const [name, value] of exportedEnv) this.exported.set(name, value);
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      masks: registeredMasks(stdout),
      exportedEnv,
      outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, "utf8")),
      state: parseFileCommands(await readFile(files.GITHUB_STATE, "utf8")),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, "utf8"),
      elapsedMs,
    };
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** A step runs in the job's workspace, as on a runner. */
function runProcess(
  command: readonly string[],
  script: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), script], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}
