// Steps written for Infisical/secrets-action v1, with only `uses:` changed: the committed bundle,
// run under the runner's file protocol against keybridge dev's Infisical API, loaded from
// Terraform. Each of that action's inputs behaves as the action does: universal auth and OIDC,
// project-slug, env-slug, secret-path (every secret of the folder, names as stored),
// include-imports, recursive, export-type file at file-output-path, oidc-audience, extra-headers;
// and post revokes the access token, which that action never does.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDevBackend, type DevBackend } from "../../dev/server.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";
import { ciIdentity, ref, resources } from "../support/infisical-backend.ts";
import { shopClaims, shopDocument, shopValues } from "../support/infisical-shop.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));

const readProd = [{ action: ["describeSecret", "readValue"], conditions: { environment: { $eq: "prod" } } }];
const identities = [
  ciIdentity("ci_oidc", "shop", { bound_audiences: ["infisical-ci"], bound_claims: { repository: "acme/shop" } }, readProd),
  ciIdentity("ci_universal", "shop", { bound_audiences: ["https://github.com/acme"], bound_claims: { repository: "nobody/none" } }, readProd),
];
const universal = {
  infisical_identity_universal_auth: { ci_universal: { identity_id: ref("infisical_identity.ci_universal", "id") } },
  infisical_identity_universal_auth_client_secret: {
    ci_universal: { identity_id: ref("infisical_identity_universal_auth.ci_universal", "identity_id"), description: "CI" },
  },
};

let dir: string;
let backend: DevBackend;
let clientId: string;
let clientSecret: string;
let oidcIdentity: string;
const jobs: LocalJob[] = [];
const allValues = Object.values(shopValues);

async function runMain(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: { domain: backend.info.infisical.addr, "project-slug": "shop", "env-slug": "prod", ...inputs }, env });
  return { job, main };
}

async function accessTokenIsRevoked(main: StepResult): Promise<boolean> {
  const token = main.state.get("token");
  assert.ok(token, "main saved the access token for the post step");
  const response = await fetch(`${backend.info.infisical.addr}/api/v3/secrets/raw?workspaceSlug=shop&environment=prod&secretPath=%2F`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status === 401;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-dropin-infisical-"));
  const document = shopDocument(identities, universal);
  const file = join(dir, "main.tf.json");
  await writeFile(file, JSON.stringify({
    ...document,
    resource: resources(document.resource),
    output: {
      ...document.output,
      client_id: { value: ref("infisical_identity_universal_auth_client_secret.ci_universal", "client_id") },
      client_secret: { value: ref("infisical_identity_universal_auth_client_secret.ci_universal", "client_secret"), sensitive: true },
    },
  }));
  backend = await startDevBackend({ terraformFile: file, defaultJob: shopClaims });
  clientId = String(backend.outputValues!.client_id);
  clientSecret = String(backend.outputValues!.client_secret);
  oidcIdentity = String(backend.outputValues!.ci_oidc);
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  await backend.close();
  await rm(dir, { recursive: true, force: true });
});

describe("Infisical/secrets-action steps with only uses: changed", () => {
  it("method universal with client-id and client-secret exports every secret of secret-path, names as stored", async () => {
    const inputs = { method: "universal", "client-id": clientId, "client-secret": clientSecret, "secret-path": "/app/db" };
    const { job, main } = await runMain(inputs);
    assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("HOST"), shopValues.dbHost);
    assert.equal(job.env.get("PASSWORD"), shopValues.dbPassword);
    assert.equal([...main.outputs.keys()].filter((name) => name === "HOST" || name === "PASSWORD").length, 0, "Infisical's action sets no step outputs");
    assert.ok(main.masks.includes(clientSecret), "the client secret is masked");
    assertNeverPrinted(main, [...allValues, clientSecret]);
    const post = await job.runStep(postScript, { inputs, state: main.state });
    assert.equal(post.exitCode, 0);
    assert.ok(await accessTokenIsRevoked(main), "post revokes the access token");
  });

  it("client-id without a method: universal is inferred (Infisical's default), and the log says so", async () => {
    const { job, main } = await runMain({ "client-id": clientId, "client-secret": clientSecret, "secret-path": "/app/db" });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.stdout, /using universal, inferred from the client-id input/);
    assert.equal(job.env.get("PASSWORD"), shopValues.dbPassword);
  });

  it("method oidc with identity-id and oidc-audience; secret-path defaults to /", async () => {
    const { job, main } = await runMain({ method: "oidc", "identity-id": oidcIdentity, "oidc-audience": "infisical-ci" }, oidcEnv(backend.info.oidc));
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("ROOT_KEY"), shopValues.rootKey);
  });

  it("include-imports (default true) merges imported folders; false leaves them out", async () => {
    const credentials = { "client-id": clientId, "client-secret": clientSecret, "secret-path": "/shared" };
    const withImports = await runMain(credentials);
    assert.equal(withImports.main.exitCode, 0, withImports.main.stdout);
    assert.equal(withImports.job.env.get("OTHER"), shopValues.otherSecret);
    assert.equal(withImports.job.env.get("OTHER_REF"), shopValues.dbPassword, "references are expanded, as the action always asks");
    const without = await runMain({ ...credentials, "include-imports": "false" });
    assert.equal(without.main.exitCode, 0, without.main.stdout);
    assert.equal(without.job.env.get("SHARED"), shopValues.shared);
    assert.equal(without.job.env.has("OTHER"), false);
  });

  it("recursive reads the folders below secret-path", async () => {
    const { job, main } = await runMain({ "client-id": clientId, "client-secret": clientSecret, "secret-path": "/shared", recursive: "true", "include-imports": "false" });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(job.env.get("SHARED"), shopValues.shared);
  });

  it("export-type file writes KEY='value' lines at file-output-path in the workspace, exports no env, and post deletes it", async () => {
    const inputs = { "client-id": clientId, "client-secret": clientSecret, "secret-path": "/app/db", "export-type": "file", "file-output-path": "/.env" };
    const { job, main } = await runMain(inputs);
    assert.equal(main.exitCode, 0, main.stdout);
    const file = join(job.workspace, ".env");
    assert.equal(readFileSync(file, "utf8"), `HOST='${shopValues.dbHost}'\nPASSWORD='${shopValues.dbPassword}'`, "as Infisical's action writes it");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(main.exportedEnv.size, 0);
    await job.runStep(postScript, { inputs, state: main.state });
    assert.equal(existsSync(file), false);
  });

  it("extra-headers are sent with every request", async () => {
    const { main } = await runMain({ "client-id": clientId, "client-secret": clientSecret, "secret-path": "/app/db", "extra-headers": "X-Firewall: ci\nX-Team: shop" });
    assert.equal(main.exitCode, 0, main.stdout);
  });

  it("fails as the action does when the universal auth credentials are incomplete, naming the input", async () => {
    const { main } = await runMain({ method: "universal", "client-id": clientId });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::.*client-secret is empty while method is universal/);
  });

  it("fails with one line naming both spellings when project and project-slug disagree", async () => {
    const { main } = await runMain({ "client-id": clientId, "client-secret": clientSecret, project: "other" });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_INPUT_INVALID: Inputs project \("other"\) and project-slug \("shop"\) .*disagree/);
  });
});
