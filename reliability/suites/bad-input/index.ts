// Every input mistake a user can make, run for real: the Action bundle as a step, the CLI as a
// process. Each must end with exactly one line that names the mistake and the fix, the documented
// exit code, no stack trace, and no secret given as input echoed back.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { LocalJob } from "../../../testkit/runner-emulator/job.ts";
import type { Attempt, Suite } from "../../report.ts";
import { actionCases, cliCases, type ActionCase, type CliCase } from "./cases.ts";
import { keybridgeCommandLine } from "../../../testkit/keybridge-process.ts";
import { withoutCode } from "../error-line.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const mainScript = join(root, "dist", "main.js");
const keybridge = keybridgeCommandLine([]);

function writeFixtures(dir: string): void {
  mkdirSync(join(dir, "fixtures"), { recursive: true });
  writeFileSync(join(dir, "fixtures", "policy.json"), readFileSync(join(root, "test", "provider", "__snapshots__", "ml-training.policy.json")));
  writeFileSync(join(dir, "fixtures", "not-a-cert.txt"), "this is not a certificate, a policy or a plan\n");
  writeFileSync(join(dir, "fixtures", "unsupported.tf.json"), JSON.stringify({ resource: { vault_aws_secret_backend: { aws: { path: "aws" } } } }));
  // A well-formed data key that other users may read (--data refuses it).
  writeFileSync(join(dir, "fixtures", "open.key"), `${Buffer.alloc(32, 7).toString("base64")}\n`);
  chmodSync(join(dir, "fixtures", "open.key"), 0o644);
}

const stackTrace = /\n\s+at .+:\d+:\d+/;

function judge(mistake: string, lines: string[], exitCode: number | null, expected: { exitCode: number; message: RegExp }, everything: string, secret?: string): Attempt {
  const problems: string[] = [];
  if (exitCode !== expected.exitCode) problems.push(`exit code ${exitCode}, expected ${expected.exitCode}`);
  if (lines.length !== 1) problems.push(`${lines.length} error lines, expected 1`);
  else if (!expected.message.test(withoutCode(lines[0]!))) problems.push("the message does not start with its code and say what was expected");
  if (stackTrace.test(everything)) problems.push("a stack trace was printed");
  if (secret && everything.includes(secret)) problems.push("a secret input was echoed");
  return {
    tried: mistake,
    outcome: problems.length === 0 ? lines[0]! : `${problems.join("; ")}: ${lines.join(" / ") || "(no error line)"}`,
    held: problems.length === 0,
    details: { "exit code": String(exitCode) },
  };
}

async function runActionCase(job: LocalJob, testCase: ActionCase): Promise<Attempt> {
  const env: Record<string, string> = testCase.withOidc ? { ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:1/_oidc/token?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token" } : {};
  const step = await job.runStep(mainScript, { inputs: testCase.inputs, env, timeoutMs: 30_000 });
  const errors = step.stdout.split("\n").filter((line) => line.startsWith("::error::")).map((line) => line.slice("::error::".length));
  return judge(`Action: ${testCase.mistake}`, errors, step.exitCode, { exitCode: 1, message: testCase.message }, step.stdout + step.stderr, testCase.secret);
}

async function runCliCase(cwd: string, testCase: CliCase): Promise<Attempt> {
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await promisify(execFile)(keybridge.command, [...keybridge.args, ...testCase.args], { cwd, timeout: 30_000 });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    result = { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  return judge(`keybridge ${testCase.args[0] ?? ""}: ${testCase.mistake}`, lines, result.code, testCase, result.stdout + result.stderr);
}

export const badInput: Suite = async ({ quick, log }) => {
  const job = await LocalJob.create();
  try {
    writeFixtures(job.workspace);
    const attempts: Attempt[] = [];
    for (const testCase of actionCases) attempts.push(await runActionCase(job, testCase));
    // The CLI cases start tsx, a few hundred ms each: the quick form keeps one of each command.
    const cases = quick ? cliCases.filter((testCase, index) => cliCases.findIndex((other) => other.args[0] === testCase.args[0]) === index) : cliCases;
    for (const testCase of cases) attempts.push(await runCliCase(job.workspace, testCase));
    log(`${attempts.length} mistakes, ${attempts.filter((attempt) => attempt.held).length} told as promised`);
    return {
      name: "Bad input",
      about: "Every input mistake a user can make to the Action (as a real step, the committed bundle) and to the `keybridge` command (as a real process), with the exact line the user reads and the exit code. Each must be one line naming the input, the bad value (never a secret) and the fix; no stack trace; nothing sent anywhere before the inputs are valid.",
      attempts,
      figures: { "Action mistakes": String(actionCases.length), "CLI mistakes": String(cases.length) },
    };
  } finally {
    await job.dispose();
  }
};
