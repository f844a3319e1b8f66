// The committed Action bundle with backend: infisical, run as a real process under the runner's
// file protocol, against `keybridge dev` as a real process loaded with the Infisical example
// platform (synthesized, plus seeded values and two identities made for refusals): allowed by
// slug (v3) and by project id (v4), refused by subject (403), refused by claim (401), a grant
// that may list but not read, and the token revoked by post.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { assertMaskedBeforeExport, assertNeverPrinted } from "../support/secret-assertions.ts";
import { infisicalAddresses, mergeTerraform, readTerraform, seededSecret, synthInfisicalExample, writeTerraform } from "../../testkit/infisical-seed.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const mainScript = join(root, "dist", "main.js");
const postScript = join(root, "dist", "post.js");

const prodJob = { repository: "acme/training", ref: "refs/heads/main", environment: "prod", runner_environment: "self-hosted", event_name: "push" };
const spec = "/database *\n/api TOKEN | API_TOKEN";
const values = {
  username: "training_app",
  password: "pw-3f9a1c77e2b04d",
  token: "kbtok_e04d9b2a51c6f8",
  signingKey: "-----BEGIN KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END KEY-----",
  wandb: "wandb-51c6f8e04d9b2a",
};
const allValues = Object.values(values);

let dir: string;
let backend: RunningDevBackend;
let ids: { ciProd: string; subjectBound: string; listOnly: string; projectId: string };
const jobs: LocalJob[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kb-e2e-infisical-"));
  const synthesized = await readTerraform(await synthInfisicalExample(dir));
  const { project, ref } = infisicalAddresses(synthesized, "ml-training");
  const prod = (folder: string) => ({ environment: "prod", folder });
  const oidc = (identity: string, extra: Record<string, unknown>) => ({
    identity_id: ref(`infisical_identity.${identity}`, "id"),
    oidc_discovery_url: "https://token.actions.githubusercontent.com",
    bound_issuer: "https://token.actions.githubusercontent.com",
    bound_audiences: ["https://github.com/acme"],
    bound_claims: { repository: "acme/training" },
    access_token_ttl: 600,
    ...extra,
  });
  const member = (identity: string, role: string) => ({
    project_id: ref(project, "id"),
    identity_id: ref(`infisical_identity.${identity}`, "id"),
    roles: [{ role_slug: role }],
  });
  const merged = mergeTerraform(synthesized, {
    resource: {
      infisical_secret: {
        db_username: seededSecret(synthesized, "ml-training", prod("database"), "USERNAME", values.username),
        db_password: seededSecret(synthesized, "ml-training", prod("database"), "PASSWORD", values.password, { writeOnly: true }),
        api_token: seededSecret(synthesized, "ml-training", prod("api"), "TOKEN", values.token),
        api_signing_key: seededSecret(synthesized, "ml-training", prod("api"), "SIGNING_KEY", values.signingKey),
        wandb_key: seededSecret(synthesized, "ml-training", prod("wandb"), "API_KEY", values.wandb),
      },
      infisical_identity: {
        subject_bound: { name: "e2e-subject-bound", org_id: "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f", role: "no-access" },
        list_only: { name: "e2e-list-only", org_id: "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f", role: "no-access" },
      },
      infisical_identity_oidc_auth: {
        subject_bound: oidc("subject_bound", { bound_subject: "repo:acme/training:ref:refs/heads/main" }),
        list_only: oidc("list_only", {}),
      },
      infisical_project_role: {
        list_only: {
          project_id: ref(project, "id"),
          name: "e2e-list-only",
          slug: "e2e-list-only",
          permissions_v2: [{ subject: "secrets", action: ["describeSecret"], conditions: JSON.stringify({ environment: { $eq: "prod" } }) }],
        },
      },
      infisical_project_identity: {
        subject_bound: member("subject_bound", "viewer"),
        list_only: member("list_only", ref("infisical_project_role.list_only", "slug")),
      },
    },
    output: {
      project_id: { value: ref(project, "id") },
      subject_bound: { value: ref("infisical_identity.subject_bound", "id") },
      list_only: { value: ref("infisical_identity.list_only", "id") },
    },
  });
  backend = await launchDevBackend(["--terraform", await writeTerraform(join(dir, "e2e.tf.json"), merged), "--verbose"]);
  const outputs = backend.info.outputs as Record<string, any>;
  ids = {
    ciProd: outputs["ci_identities_ml-training"]["ci-prod"].identity_id,
    subjectBound: outputs.subject_bound,
    listOnly: outputs.list_only,
    projectId: outputs.project_id,
  };
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  if (backend) assert.equal(await backend.stop(), 0, "keybridge dev did not exit cleanly on SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    backend: "infisical",
    url: backend.info.infisical!.addr,
    "identity-id": ids.ciProd,
    project: "ml-training",
    environment: "prod",
    secrets: spec,
    ...extra,
  };
}

async function runMain(claims: Record<string, string>, extra: Record<string, string> = {}): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: inputs(extra), env: oidcEnv(await backend.mintJob(claims)) });
  return { job, main };
}

async function readStatus(token: string): Promise<number> {
  const url = `${backend.info.infisical!.addr}/api/v3/secrets/raw?workspaceSlug=ml-training&environment=prod&secretPath=/database`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

function assertAllowed(job: LocalJob, main: StepResult): void {
  assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
  assert.deepEqual([...main.exportedEnv.keys()].sort(), ["API_TOKEN", "PASSWORD", "USERNAME"], "exactly the granted folder's keys and the one named key");
  assert.equal(job.env.get("USERNAME"), values.username);
  assert.equal(job.env.get("PASSWORD"), values.password);
  assert.equal(job.env.get("API_TOKEN"), values.token);
  assertMaskedBeforeExport(main, [values.username, values.password, values.token]);
  assertNeverPrinted(main, allValues);
}

describe("fetch mode on Infisical, end to end", () => {
  it("exports the granted secrets, masked, reading by project slug through the v3 API", async () => {
    const { job, main } = await runMain(prodJob);
    assertAllowed(job, main);
    const token = main.state.get("token");
    assert.ok(token && main.masks.includes(token), "the access token is saved for post and masked");
    assert.match(backend.stderr(), /GET \/api\/v3\/secrets\/raw 200/);
    await job.runStep(postScript, { inputs: inputs(), state: main.state });
  });

  it("reads by project id through the v4 API", async () => {
    const before = (backend.stderr().match(/GET \/api\/v4\/secrets 200/g) ?? []).length;
    const { job, main } = await runMain(prodJob, { project: ids.projectId });
    assertAllowed(job, main);
    assert.equal((backend.stderr().match(/GET \/api\/v4\/secrets 200/g) ?? []).length, before + 2, "one v4 read per folder");
    await job.runStep(postScript, { inputs: inputs({ project: ids.projectId }), state: main.state });
  });

  it("revokes the token in post: a read with the saved token is then 401", async () => {
    const { job, main } = await runMain(prodJob);
    assert.equal(main.exitCode, 0, main.stdout);
    const token = main.state.get("token")!;
    assert.equal(await readStatus(token), 200);
    const post = await job.runStep(postScript, { inputs: inputs(), state: main.state });
    assert.equal(post.exitCode, 0, `post failed:\n${post.stdout}\n${post.stderr}`);
    assertNeverPrinted(post, [...allValues, token], "the post step's output");
    assert.equal(await readStatus(token), 401);
  });

  it("fails with 403 and exports nothing when the identity's bound subject does not match", async () => {
    const { main } = await runMain(prodJob, { "identity-id": ids.subjectBound });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: Infisical refused the OIDC login of identity [0-9a-f-]{36} \(HTTP 403\): Access denied: OIDC subject not allowed\./);
    assert.match(main.stdout, /sub=repo:acme\/training:environment:prod/, "the token's subject is shown to the user");
    assert.equal(main.exportedEnv.size, 0);
    assertNeverPrinted(main, allValues);
  });

  it("fails with 401 and exports nothing for a pull_request job (ci-prod binds claims)", async () => {
    const { main } = await runMain({ repository: "acme/training", ref: "refs/pull/7/merge", event_name: "pull_request", runner_environment: "github-hosted" });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: Infisical refused the OIDC login of identity [0-9a-f-]{36} \(HTTP 401\): Access denied: /);
    assert.equal(main.exportedEnv.size, 0);
    assertNeverPrinted(main, allValues);
  });

  it("fails naming the hidden keys and exports nothing when the grant may list but not read", async () => {
    const { job, main } = await runMain(prodJob, { "identity-id": ids.listOnly });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_SECRET_HIDDEN: \/?database: "(USERNAME|PASSWORD)", "(USERNAME|PASSWORD)" can be listed but not read/);
    assert.equal(main.exportedEnv.size, 0, "all or nothing: nothing, and never the placeholder, is exported");
    assertNeverPrinted(main, allValues);
    await job.runStep(postScript, { inputs: inputs({ "identity-id": ids.listOnly }), state: main.state });
  });
});
