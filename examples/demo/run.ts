// `npm run demo`: the whole path on the embedded dev backend, in seconds.
//   1. Declare → synth: examples/ml-platform/main.ts becomes cdk.tf.json and keybridge.policy.json.
//   2. `keybridge dev --terraform cdk.tf.json` applies it like `terraform apply` on a real Vault.
//   3. The committed Action bundle runs as a GitHub runner would: a production job of main gets its
//      secrets masked; the post step revokes its token and deletes its file; a pull_request job
//      gets nothing.
//   4. A pull request widens the production grant: the plan a reviewer reads.
// Every process it starts is stopped before it exits.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { launchDevBackend, oidcEnv, type RunningDevBackend } from "../../dev/launch.ts";
import { LocalJob, type StepResult } from "../../dev/runner/job.ts";
import { renderJobLog } from "../../dev/runner/masked-log.ts";
import { generateDemoSecrets } from "./configure.ts";
import { widenProductionGrant, writeVariant } from "../ml-platform/variants.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const app = join(root, "examples", "ml-platform", "main.ts");
const mainScript = join(root, "dist", "main.js");
const postScript = join(root, "dist", "post.js");
const productionJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted", event_name: "push" };
const pullRequestJob = { repository: "acme/training", ref: "refs/pull/42/merge", event_name: "pull_request", runner_environment: "github-hosted" };

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text: string) => console.log(`\n${bold(text)}`);
const indent = (text: string) => console.log(text.split("\n").map((line) => `  | ${line}`).join("\n"));

async function keybridge(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", import.meta.resolve("tsx"), join(root, "bin", "keybridge.ts"), ...args], { timeout: 60_000 });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof failed.code !== "number") throw error;
    return { stdout: failed.stdout ?? "", code: failed.code };
  }
}

async function writeSecret(backend: RunningDevBackend, path: string, data: Record<string, string>): Promise<void> {
  const response = await fetch(`${backend.info.vault.addr}/v1/secret/data/${path}`, {
    method: "POST",
    headers: { "X-Vault-Token": backend.info.vault.rootToken },
    body: JSON.stringify({ data }),
  });
  if (!response.ok) throw new Error(`writing ${path} answered ${response.status}`);
}

async function lookupSelfStatus(backend: RunningDevBackend, token: string): Promise<number> {
  const response = await fetch(`${backend.info.vault.addr}/v1/auth/token/lookup-self`, { headers: { "X-Vault-Token": token } });
  await response.arrayBuffer();
  return response.status;
}

function showLog(step: StepResult): void {
  indent(renderJobLog(step.stdout));
}

async function main(): Promise<boolean> {
  const work = mkdtempSync(join(tmpdir(), "keybridge-demo-"));
  const jobs: LocalJob[] = [];
  let backend: RunningDevBackend | undefined;
  try {
    heading("1. Declare and synth: examples/ml-platform/main.ts");
    const synth = await keybridge("synth", app, "--out", join(work, "base"));
    const stackDir = join(work, "base", "stacks", "secrets");
    const policy = JSON.parse(readFileSync(join(stackDir, "keybridge.policy.json"), "utf8"));
    const grants = policy.projects.flatMap((project: { grants: unknown[] }) => project.grants).length;
    const resources = /\((\d+) resources\)/.exec(synth.stdout)?.[1] ?? "?";
    indent(`keybridge synth wrote cdk.tf.json (${resources} vault_* resources) and keybridge.policy.json (${policy.projects.length} projects, ${grants} grants), without terraform`);

    heading("2. keybridge dev --terraform cdk.tf.json (applied like terraform apply on a real Vault)");
    backend = await launchDevBackend(["--terraform", join(stackDir, "cdk.tf.json"), "--auth-mount", "oidc=oidc"]);
    const role = (backend.info.outputs?.["ci_role_ml-training_ci-prod"] as { role: string }).role;
    indent(`Vault API and GitHub's OIDC token service at ${backend.info.vault.addr}`);
    indent(`output ci_role_ml-training_ci-prod: role ${role}, bound to acme/training on refs/heads/main, environment prod, self-hosted runners`);
    const secrets = generateDemoSecrets();
    await writeSecret(backend, "ml-training/prod/database", secrets.database);
    await writeSecret(backend, "ml-training/prod/api", secrets.api);
    indent("the platform team stored ml-training/prod/database (username, password) and ml-training/prod/api (token, multi-line PEM signing_key)");

    const inputs = {
      url: backend.info.vault.addr,
      role,
      secrets: ["secret/data/ml-training/prod/database password | DB_PASSWORD", "secret/data/ml-training/prod/database username | DB_USER", "secret/data/ml-training/prod/api *"].join("\n"),
      "export-file": "secrets.env",
    };

    heading("3a. A push to main of acme/training, job in environment prod, on a self-hosted runner");
    const job = await LocalJob.create();
    jobs.push(job);
    const run = await job.runStep(mainScript, { inputs, env: oidcEnv(await backend.mintJob(productionJob)) });
    showLog(run);
    const values = [...Object.values(secrets.database), ...Object.values(secrets.api)];
    for (const name of [...run.exportedEnv.keys()]) {
      const value = job.env.get(name) ?? "";
      indent(`later steps see ${name}=${values.includes(value) ? "***" : "(?)"} (${value.length} characters${value.includes("\n") ? ", multi-line" : ""})`);
    }
    const file = run.outputs.get("file");
    const token = run.state.get("token") ?? "";
    const post = await job.runStep(postScript, { inputs, state: run.state });
    heading("    Post step (also after a failed or cancelled job)");
    showLog(post);
    const revoked = token !== "" && (await lookupSelfStatus(backend, token)) === 403;
    const fileGone = file !== undefined && !existsSync(file);
    indent(`token revoked: ${revoked ? "yes" : "NO"}; export file deleted: ${fileGone ? "yes" : "NO"}`);

    heading("3b. The same workflow on a pull request: Vault refuses, nothing is exported");
    const prJob = await LocalJob.create();
    jobs.push(prJob);
    const refused = await prJob.runStep(mainScript, { inputs, env: oidcEnv(await backend.mintJob(pullRequestJob)) });
    showLog(refused);
    indent(`exit code ${refused.exitCode}; variables exported: ${refused.exportedEnv.size}`);

    heading("4. A pull request widens the production grant to every branch: the plan reviewers read");
    const widened = writeVariant("demo-widened", widenProductionGrant);
    try {
      await keybridge("synth", widened.app, "--out", join(work, "head"));
    } finally {
      widened.remove();
    }
    const plan = await keybridge("plan", "--base", join(work, "base"), "--head", join(work, "head"), "--fail-on", "high");
    indent(plan.stdout.trimEnd());
    indent(`keybridge plan --fail-on high exits ${plan.code}: the check fails until the grant is fixed or the risk acknowledged`);

    const ok = run.exitCode === 0 && run.exportedEnv.size === 4 && post.exitCode === 0 && revoked && fileGone
      && refused.exitCode === 1 && refused.exportedEnv.size === 0 && plan.code === 2 && /CRITICAL/.test(plan.stdout);
    heading(ok ? "Demo finished: declared, synthesized, applied, fetched masked, revoked, refused, reviewed." : "Demo FAILED: see above.");
    return ok;
  } finally {
    await Promise.all(jobs.map((job) => job.dispose()));
    await backend?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
