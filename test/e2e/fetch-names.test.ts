// Issue 16, items 2, 5, 7 and 8 through the committed bundle: whoever can write keys into a secret a
// job reads with `*` must not be able to set the variables that decide what later steps run; a
// name the workflow writes is its own; nothing is half exported.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { configureDemo, demoRole, type DemoSecrets } from "../../testkit/demo-setup.ts";
import { devVaultAdmin, writeKvSecret } from "../../testkit/admin/vault.ts";
import { parseWorkflowCommand } from "../../testkit/runner-emulator/workflow-commands.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const allowedJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
const attackPath = "secret/data/ml-training/prod/attack";
const attackKeys = ["bash_env", "path", "ld_preload", "node_options", "github_env", "runner_temp", "actions_id_token_request_url", "home", "git_ssh_command"];
const payload = "/srv/attacker/keybridge-payload";

let backend: RunningDevBackend;
let secrets: DemoSecrets;
const jobs: LocalJob[] = [];

before(async () => {
  backend = await launchDevBackend();
  const admin = devVaultAdmin(backend.info);
  secrets = await configureDemo(admin);
  await writeKvSecret(admin, "ml-training/prod/attack", { ...Object.fromEntries(attackKeys.map((key) => [key, payload])), innocent: "innocent-value-4d2f" });
  await writeKvSecret(admin, "ml-training/prod/big", { blob: "b".repeat(1024 * 1024) });
  await writeKvSecret(admin, "ml-training/prod/json", { config: { user: "svc-deploy-7c1", pass: "jq-pass-93be1f" } });
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  assert.equal(await backend.stop(), 0, "keybridge dev did not exit cleanly on SIGTERM");
});

async function step(secretsInput: string, extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<StepResult> {
  const job = await LocalJob.create();
  jobs.push(job);
  return job.runStep(mainScript, {
    inputs: { url: backend.info.vault.addr, role: demoRole.name, secrets: secretsInput, "export-outputs": "true", ...extra },
    env: { ...oidcEnv(await backend.mintJob(allowedJob)), ...env },
  });
}

const commands = (result: StepResult, name: string) =>
  result.stdout.split("\n").map((line) => parseWorkflowCommand(line)).filter((command) => command?.command === name).map((command) => command!.data);

function assertNothingExported(result: StepResult): void {
  assert.equal(result.exitCode, 1, result.stdout);
  assert.equal(result.exportedEnv.size, 0, "nothing reaches GITHUB_ENV");
  assert.equal(result.outputs.size, 0, "nothing reaches GITHUB_OUTPUT");
}

describe("exported names through the bundle", () => {
  it("refuses a * read whose keys would set loader, shell, runner, Node and Git variables, in one error line, exporting nothing", async () => {
    const result = await step(`secret/data/ml-training/prod/database password | DB_PASSWORD\n${attackPath} *`);
    assertNothingExported(result);
    const errors = commands(result, "error");
    assert.equal(errors.length, 1);
    assert.doesNotMatch(errors[0]!, /\n/);
    for (const key of attackKeys) assert.match(errors[0]!, new RegExp(`key "${key}" gives ${key.toUpperCase()}`));
    assert.match(errors[0]!, /line 2, secret\/data\/ml-training\/prod\/attack \(a \* read\).*nothing was exported.*allow-names input/);
    assert.ok(!result.stdout.includes(secrets.database.password));
  });

  it("refuses the same keys with ** (case kept: Windows reads names without case)", async () => {
    assertNothingExported(await step(`${attackPath} **`));
  });

  it("exports a key allow-names lists, with a warning", async () => {
    const result = await step(`${attackPath} *`, { "allow-names": attackKeys.join(",") });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.equal(result.exportedEnv.get("BASH_ENV"), payload);
    assert.ok(commands(result, "warning").some((line) => /exports BASH_ENV .*allow-names input lists it/.test(line)));
  });

  it("exports a name the workflow wrote: GITHUB_TOKEN silently, PATH with a warning", async () => {
    const result = await step("secret/data/ml-training/prod/api token | GITHUB_TOKEN\nsecret/data/ml-training/prod/database username | PATH");
    assert.equal(result.exitCode, 0, result.stdout);
    assert.equal(result.exportedEnv.get("GITHUB_TOKEN"), secrets.api.token);
    assert.equal(result.exportedEnv.get("PATH"), secrets.database.username);
    const warnings = commands(result, "warning");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /line 2: exports PATH .*the workflow names it/);
  });

  it("refuses | NAME that is not a portable variable name before logging in", async () => {
    for (const name of ["1BAD", "DB-PASS", "DB<<X"]) {
      const result = await step(`secret/data/ml-training/prod/database password | ${name}`);
      assertNothingExported(result);
      const errors = commands(result, "error");
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, new RegExp(`^KB_INPUT_INVALID: Input secrets, line 1 .*"${name}" is not a variable name`));
    }
  });

  it("refuses a 1 MiB value for the environment, naming it and its size, and exports it to a file alone", async () => {
    const refused = await step("secret/data/ml-training/prod/big blob | BLOB\nsecret/data/ml-training/prod/database password | DB_PASSWORD");
    assertNothingExported(refused);
    assert.match(commands(refused, "error")[0]!, /^KB_EXPORT_TOO_LARGE: BLOB \(1024 KiB\) is over the 128 KiB Linux allows one environment variable.*export-file/);
    const file = await step("secret/data/ml-training/prod/big blob | BLOB", { "export-env": "false", "export-outputs": "false", "export-file": "big.json" });
    assert.equal(file.exitCode, 0, file.stdout);
  });

  it("exports nothing to GITHUB_ENV when GITHUB_OUTPUT is missing", async () => {
    const result = await step("secret/data/ml-training/prod/database password | DB_PASSWORD", {}, { GITHUB_OUTPUT: "" });
    assert.equal(result.exitCode, 1);
    assert.equal(result.exportedEnv.size, 0);
    assert.match(commands(result, "error")[0]!, /GITHUB_OUTPUT is not set/);
  });

  it("masks the string leaves of a JSON value, so jq output of one field is hidden", async () => {
    const result = await step("secret/data/ml-training/prod/json config | CONFIG");
    assert.equal(result.exitCode, 0, result.stdout);
    assert.ok(result.masks.includes("jq-pass-93be1f") && result.masks.includes("svc-deploy-7c1"));
  });
});
