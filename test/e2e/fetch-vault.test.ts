// The committed bundle, run as a real process under the runner's file protocol, against
// `keybridge dev` as a real process: what a workflow on a self-hosted runner would see.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { configureDemo, demoRole, type DemoSecrets } from "../../testkit/demo-setup.ts";
import { assertMaskedBeforeExport, assertNeverPrinted } from "../support/secret-assertions.ts";
import { devVaultAdmin, vaultCall } from "../../testkit/admin/vault.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));

const allowedJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };
const specLines = [
  "secret/data/ml-training/prod/database password | DB_PASSWORD",
  "secret/data/ml-training/prod/api *",
];

let backend: RunningDevBackend;
let secrets: DemoSecrets;
let allValues: string[];
const jobs: LocalJob[] = [];

async function newJob(): Promise<LocalJob> {
  const job = await LocalJob.create();
  jobs.push(job);
  return job;
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { url: backend.info.vault.addr, role: demoRole.name, secrets: specLines.join("\n"), ...extra };
}

async function lookupSelfStatus(token: string): Promise<number> {
  return (await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token })).status;
}

function vaultTokenFrom(state: ReadonlyMap<string, string>): string {
  const token = [...state.values()].find((value) => value.startsWith("hvs."));
  assert.ok(token, "main saved no Vault token in its state for the post step");
  return token;
}

before(async () => {
  backend = await launchDevBackend();
  secrets = await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
  allValues = [secrets.database.password, secrets.database.username, secrets.api.token, secrets.api.signing_key];
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  assert.equal(await backend.stop(), 0, "keybridge dev did not exit cleanly on SIGTERM");
});

describe("fetch mode on Vault, end to end", () => {
  it("exports masked secrets to later steps, then post revokes the token and deletes the file", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, {
      inputs: inputs({ "export-outputs": "true", "export-file": "ci.env" }),
      env: oidcEnv(await backend.mintJob(allowedJob)),
    });
    assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);

    assert.equal(job.env.get("DB_PASSWORD"), secrets.database.password);
    assert.equal(job.env.get("TOKEN"), secrets.api.token);
    assert.equal(job.env.get("SIGNING_KEY"), secrets.api.signing_key, "the multi-line PEM key must arrive intact");
    assert.equal(job.env.has("USERNAME"), false, "a key that was not requested must not be exported");
    assert.equal(main.outputs.get("DB_PASSWORD"), secrets.database.password);
    assert.deepEqual(JSON.parse(main.outputs.get("exported") ?? "[]").sort(), ["DB_PASSWORD", "SIGNING_KEY", "TOKEN"]);

    const secretValues = [secrets.database.password, secrets.api.token, secrets.api.signing_key];
    assertMaskedBeforeExport(main, secretValues);
    assertNeverPrinted(main, allValues);
    const token = vaultTokenFrom(main.state);
    assert.ok(main.masks.includes(token), "the Vault token must be masked");
    assert.ok(!main.summary.includes(secrets.database.password) && main.summary.includes("DB_PASSWORD"),
      "the job summary lists names, never values");

    const file = main.outputs.get("file");
    assert.ok(file && existsSync(file), "export-file names a file that exists");
    assert.ok(!relative(job.runnerTemp, file).startsWith(".."), "the export file lives under RUNNER_TEMP");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, "utf8"), /^DB_PASSWORD=/m);
    assert.equal(await lookupSelfStatus(token), 200);

    const post = await job.runStep(postScript, { inputs: inputs({ "export-file": "ci.env" }), state: main.state });
    assert.equal(post.exitCode, 0, `post failed:\n${post.stdout}\n${post.stderr}`);
    assertNeverPrinted(post, [...allValues, token], "the post step's output");
    assert.equal(await lookupSelfStatus(token), 403, "after post the token must be refused");
    assert.equal(existsSync(file), false, "after post the export file must be gone");
  });

  it("writes a JSON file that reads back to exactly the stored values", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, {
      inputs: inputs({ "export-env": "false", "export-file": "secrets.json" }),
      env: oidcEnv(await backend.mintJob(allowedJob)),
    });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.has("DB_PASSWORD"), false, "export-env: false exports nothing to the environment");
    const file = main.outputs.get("file")!;
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), {
      DB_PASSWORD: secrets.database.password,
      TOKEN: secrets.api.token,
      SIGNING_KEY: secrets.api.signing_key,
    });
    await job.runStep(postScript, { inputs: inputs({ "export-file": "secrets.json" }), state: main.state });
    assert.equal(existsSync(file), false);
  });

  it("fails with the claims diagnostic and exports nothing when the job's claims do not match", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, {
      inputs: inputs(),
      env: oidcEnv(await backend.mintJob({ ...allowedJob, ref: "refs/heads/feature/x" })),
    });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: .*claim "ref" does not match/);
    assert.match(main.stdout, /ref.*refs\/heads\/feature\/x/, "the token's ref claim is shown to the user");
    assert.match(main.stdout, /repository.*acme\/training/);
    assert.equal(main.exportedEnv.size, 0);
    assert.equal([...main.outputs.keys()].filter((name) => name !== "exported").length, 0);
    assertNeverPrinted(main, allValues);

    const post = await job.runStep(postScript, { inputs: inputs(), state: main.state });
    assert.equal(post.exitCode, 0, "post never fails the job because there was nothing to clean up");
  });

  it("says how to grant id-token: write when the OIDC request variables are missing", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, { inputs: inputs() });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_OIDC_MISSING_PERMISSION: .*id-token: write/);
    assert.match(main.stdout, /fork/);
  });

  it("exports nothing and names each failed path when one requested secret is missing", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, {
      inputs: inputs({ secrets: [...specLines, "secret/data/ml-training/prod/missing key | MISSING"].join("\n") }),
      env: oidcEnv(await backend.mintJob(allowedJob)),
    });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_SECRET_NOT_FOUND: .*secret\/data\/ml-training\/prod\/missing/);
    assert.equal(main.exportedEnv.size, 0, "export is all-or-nothing");
    assertNeverPrinted(main, allValues);
    await job.runStep(postScript, { inputs: inputs(), state: main.state });
    assert.equal(await lookupSelfStatus(vaultTokenFrom(main.state)), 403, "post revokes the token of a failed main too");
  });

  it("fails with one line naming the input when the url has no scheme", async () => {
    const job = await newJob();
    const main = await job.runStep(mainScript, { inputs: inputs({ url: "vault.internal:8200" }) });
    assert.equal(main.exitCode, 1);
    const errors = main.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^::error::KB_INPUT_INVALID: .*url.*vault\.internal:8200.*https:\/\//);
    assert.doesNotMatch(main.stdout + main.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
  });
});
