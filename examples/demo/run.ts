// `npm run demo`: the whole path on the embedded dev backend, in seconds.
//   1. Declare → synth: examples/ml-platform/main.ts becomes cdk.tf.json and keybridge.policy.json,
//      and the operator manifests of the training clusters.
//   2. `keybridge dev --terraform cdk.tf.json` applies it like `terraform apply` on a real Vault
//      (or, with `npm run demo -- --backend infisical`, on Infisical).
//      On Vault, `keybridge sync` then writes the files a pod of gpu-prod would see (names shown).
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
import { type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { renderJobLog } from "../../testkit/runner-emulator/masked-log.ts";
import { generateDemoSecrets } from "../../testkit/demo-setup.ts";
import { widenProductionGrant, writeVariant } from "../../testkit/example-variants.ts";
import { infisicalDemo, vaultDemo } from "./backends.ts";
import { devVaultAdmin, vaultCall } from "../../testkit/admin/vault.ts";
import { infisicalCall } from "../../testkit/admin/infisical.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";
import { manifestSummary } from "./manifests.ts";
import { podFilesSummary } from "./pod-files.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const demo = process.argv.includes("infisical") ? infisicalDemo : vaultDemo;
const app = join(root, "examples", "ml-platform", demo.appFile);
const mainScript = join(root, "dist", "main.js");
const postScript = join(root, "dist", "post.js");
const productionJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted", event_name: "push" };
const pullRequestJob = { repository: "acme/training", ref: "refs/pull/42/merge", event_name: "pull_request", runner_environment: "github-hosted" };

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text: string) => console.log(`\n${bold(text)}`);
const indent = (text: string) => console.log(text.split("\n").map((line) => `  | ${line}`).join("\n"));

async function keybridge(args: readonly string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { command, args: commandArgs } = keybridgeCommandLine(args);
    const { stdout, stderr } = await promisify(execFile)(command, commandArgs, { timeout: 60_000, env: { ...process.env, ...env } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof failed.code !== "number") throw error;
    return { stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", code: failed.code };
  }
}

/** Whether the backend still accepts the token: Vault's lookup-self, or an Infisical read. */
async function tokenAccepted(backend: RunningDevBackend, token: string): Promise<boolean> {
  const reply = demo.name === "vault"
    ? await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token })
    : await infisicalCall(backend.info.infisical!.addr, "GET", "/api/v3/secrets/raw", { token, query: { workspaceSlug: "ml-training", environment: "prod", secretPath: "/database" } });
  return reply.status >= 200 && reply.status < 300;
}

/**
 * On Vault, `keybridge sync` reads gpu-prod's manifests as its operator would (logging in as the
 * VaultAuth's service account) and writes the pod's secret volume; the demo prints names and modes.
 * On Infisical there are no manifests at synth, so there is nothing to sync yet.
 */
async function showPodFiles(backend: RunningDevBackend, stackDir: string, work: string): Promise<boolean> {
  if (demo.name !== "vault") {
    indent("on Infisical, Terraform writes the manifests at apply (the InfisicalSecret needs the identity's ID); keybridge sync reads them from there");
    return true;
  }
  const volume = join(work, "gpu-prod-volume");
  const sync = await keybridge(["sync", "--manifests", join(stackDir, "kubernetes", "gpu-prod.yaml"), "--namespace", "ml", "--to", volume],
    { VAULT_ADDR: backend.info.vault.addr, VAULT_TOKEN: backend.info.vault.rootToken });
  if (sync.code !== 0) {
    indent(`keybridge sync exits ${sync.code}: ${sync.stderr.trim()}`);
    return false;
  }
  indent("keybridge sync --manifests kubernetes/gpu-prod.yaml --namespace ml --to <volume>: logged in as service account ml/trainer, read, wrote");
  indent(podFilesSummary(volume).join("\n"));
  indent("values only in the files, never on the terminal");
  return true;
}

function showLog(step: StepResult): void {
  indent(renderJobLog(step.stdout));
}

async function main(): Promise<boolean> {
  const work = mkdtempSync(join(tmpdir(), "keybridge-demo-"));
  const jobs: LocalJob[] = [];
  let backend: RunningDevBackend | undefined;
  try {
    heading(`1. Declare and synth: examples/ml-platform/platform.ts, on ${demo.name === "vault" ? "Vault (main.ts)" : "Infisical (infisical.ts)"}`);
    const synth = await keybridge(["synth", app, "--out", join(work, "base")]);
    const stackDir = join(work, "base", "stacks", "secrets");
    const policy = JSON.parse(readFileSync(join(stackDir, "keybridge.policy.json"), "utf8"));
    const grants = policy.projects.flatMap((project: { grants: unknown[] }) => project.grants).length;
    const resources = /\((\d+) resources\)/.exec(synth.stdout)?.[1] ?? "?";
    indent(`keybridge synth wrote cdk.tf.json (${resources} ${demo.name}_* resources) and keybridge.policy.json (${policy.projects.length} projects, ${grants} grants), without terraform`);
    heading("1b. The training clusters' operator manifests (project.syncToKubernetes)");
    indent(manifestSummary(stackDir).join("\n"));

    heading(`2. keybridge dev --terraform cdk.tf.json (applied like terraform apply on a real ${demo.name === "vault" ? "Vault" : "Infisical"})`);
    const secrets = generateDemoSecrets();
    backend = await demo.start(join(stackDir, "cdk.tf.json"), secrets, work);
    const { inputs: backendInputs, grant } = demo.inputs(backend);
    const inputs: Record<string, string> = { ...backendInputs, "export-file": "secrets.env" };
    indent(`${demo.name === "vault" ? "Vault" : "Infisical"} API and GitHub's OIDC token service at ${inputs.url}`);
    indent(`the Terraform output for ml-training/ci-prod names ${grant}, bound to acme/training on refs/heads/main, environment prod, self-hosted runners`);
    const wandb = demo.name === "vault" ? ", and ml-training/prod/wandb (api_key) for the gpu-prod cluster" : "";
    indent(`the platform team stored ml-training/prod/database (username, password) and ml-training/prod/api (token, multi-line PEM signing_key)${wandb}`);

    heading("2b. What a pod in namespace ml of cluster gpu-prod would see (keybridge sync)");
    const podSynced = await showPodFiles(backend, stackDir, work);

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
    const revoked = token !== "" && !(await tokenAccepted(backend, token));
    const fileGone = file !== undefined && !existsSync(file);
    indent(`token revoked: ${revoked ? "yes" : "NO"}; export file deleted: ${fileGone ? "yes" : "NO"}`);

    heading(`3b. The same workflow on a pull request: ${demo.name === "vault" ? "Vault" : "Infisical"} refuses, nothing is exported`);
    const prJob = await LocalJob.create();
    jobs.push(prJob);
    const refused = await prJob.runStep(mainScript, { inputs, env: oidcEnv(await backend.mintJob(pullRequestJob)) });
    showLog(refused);
    indent(`exit code ${refused.exitCode}; variables exported: ${refused.exportedEnv.size}`);

    heading("4. A pull request widens the production grant to every branch: the plan reviewers read");
    const widened = writeVariant("demo-widened", widenProductionGrant, demo.appFile);
    try {
      await keybridge(["synth", widened.app, "--out", join(work, "head")]);
    } finally {
      widened.remove();
    }
    const plan = await keybridge(["plan", "--base", join(work, "base"), "--head", join(work, "head"), "--fail-on", "high"]);
    indent(plan.stdout.trimEnd());
    indent(`keybridge plan --fail-on high exits ${plan.code}: the check fails until the grant is fixed or the risk acknowledged`);

    const ok = podSynced && run.exitCode === 0 && run.exportedEnv.size === 4 && post.exitCode === 0 && revoked && fileGone
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
