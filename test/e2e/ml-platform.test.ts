// Declare → synth → run: the example app is synthesized with `keybridge synth`, `keybridge dev`
// applies its cdk.tf.json, and the committed Action bundle runs for three jobs of acme/training.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { assertMaskedBeforeExport, assertNeverPrinted } from "../support/secret-assertions.ts";
import { devVaultAdmin, vaultCall } from "../../testkit/admin/vault.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const mainScript = join(root, "dist", "main.js");
const postScript = join(root, "dist", "post.js");
const prodJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted", event_name: "push" };

const values = {
  database: { username: "training_app", password: "pw-3f9a1c77e2b04d" },
  api: { token: "kbtok_e04d9b2a51c6f8", signing_key: "-----BEGIN KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END KEY-----" },
  wandb: { api_key: "wandb-51c6f8e04d9b2a" },
};
const allValues = Object.values(values).flatMap((secret) => Object.values(secret));

let out: string;
let backend: RunningDevBackend;
let role: string;
const jobs: LocalJob[] = [];

before(async () => {
  out = await mkdtemp(join(tmpdir(), "kb-ml-platform-"));
  const synth = keybridgeCommandLine(["synth", join(root, "examples", "ml-platform", "main.ts"), "--out", out]);
  await promisify(execFile)(synth.command, synth.args, { timeout: 60_000 });
  backend = await launchDevBackend(["--terraform", join(out, "stacks", "secrets", "cdk.tf.json"), "--auth-mount", "oidc=oidc"]);
  role = (backend.info.outputs?.["ci_roles_ml-training"] as Record<string, { role: string }>)["ci-prod"]!.role;
  // The platform team puts the values in; Terraform never sees them.
  for (const [name, data] of Object.entries(values)) {
    const reply = await vaultCall(devVaultAdmin(backend.info), "POST", `secret/data/ml-training/prod/${name}`, { body: { data } });
    assert.equal(reply.status, 200);
  }
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  if (backend) await backend.stop();
  await rm(out, { recursive: true, force: true });
});

async function runMain(claims: Record<string, string>, secrets: string[]) {
  const job = await LocalJob.create();
  jobs.push(job);
  const inputs = { url: backend.info.vault.addr, role, secrets: secrets.join("\n") };
  const main = await job.runStep(mainScript, { inputs, env: oidcEnv(await backend.mintJob(claims)) });
  return { job, inputs, main };
}

describe("examples/ml-platform on the dev backend", () => {
  it("gives the production job of main exactly its paths, masked, and revokes the token after", async () => {
    assert.equal(role, "ml-training-ci-prod", "the role comes from the Terraform output");
    const { job, inputs, main } = await runMain(prodJob, ["secret/data/ml-training/prod/database *", "secret/data/ml-training/prod/api *"]);
    assert.equal(main.exitCode, 0, main.stdout + main.stderr);
    assert.deepEqual([...main.exportedEnv.keys()].sort(), ["PASSWORD", "SIGNING_KEY", "TOKEN", "USERNAME"]);
    assert.equal(job.env.get("SIGNING_KEY"), values.api.signing_key);
    assertMaskedBeforeExport(main, [values.database.password, values.api.token, values.api.signing_key]);
    assertNeverPrinted(main, allValues);
    const post = await job.runStep(postScript, { inputs, state: main.state });
    assert.match(post.stdout, /Revoked the token/);
  });

  it("refuses a pull_request job with the claims diagnostic, exporting nothing", async () => {
    const { main } = await runMain(
      { repository: "acme/training", ref: "refs/pull/7/merge", event_name: "pull_request", runner_environment: "github-hosted" },
      ["secret/data/ml-training/prod/database password | DB_PASSWORD"],
    );
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: Vault refused the login with role "ml-training-ci-prod" \(HTTP 400\): error validating claims: claim "\w+" (is missing|does not match)/);
    assert.match(main.stdout, /sub=repo:acme\/training:pull_request/);
    assert.equal(main.exportedEnv.size, 0);
    assertNeverPrinted(main, allValues);
  });

  it("refuses, through the ACL, a path of the same project outside the grant", async () => {
    const { main } = await runMain(prodJob, ["secret/data/ml-training/prod/database password | DB_PASSWORD", "secret/data/ml-training/prod/wandb api_key | WANDB_API_KEY"]);
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_READ_FAILED: secret\/data\/ml-training\/prod\/wandb: permission denied \(HTTP 403\): the token's policies \(default, keybridge-ml-training-ci-prod\) do not grant read on it/);
    assert.equal(main.exportedEnv.size, 0, "all or nothing: the readable database password is not exported either");
    assertNeverPrinted(main, allValues);
  });
});
