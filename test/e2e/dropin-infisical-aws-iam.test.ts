// Infisical/secrets-action steps with `method: aws-iam`, only `uses:` changed: the committed
// bundle, as a process under the runner's file protocol, with the AWS credentials in the
// environment as aws-actions/configure-aws-credentials leaves them, against keybridge dev's
// Infisical API, which checks the SigV4 signature against the access keys declared to it and the
// caller against the identity's infisical_identity_aws_auth. No request leaves 127.0.0.1.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDevBackend, type DevBackend } from "../../dev/server.ts";
import { LocalJob, type StepResult } from "../../testkit/runner-emulator/job.ts";
import { assertNeverPrinted } from "../support/secret-assertions.ts";
import { ciIdentity, ref, resources } from "../support/infisical-backend.ts";
import { shopClaims, shopDocument, shopValues } from "../support/infisical-shop.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const postScript = fileURLToPath(new URL("../../dist/post.js", import.meta.url));

const readProd = [{ action: ["describeSecret", "readValue"], conditions: { environment: { $eq: "prod" } } }];
const deployRole = { accessKeyId: "ASIAEXAMPLE0000DEPLOY", secretAccessKey: "deploy-secret-7f3a9c1e", arn: "arn:aws:sts::123456789012:assumed-role/ci-deploy/gh-run-42" };
const intruder = { accessKeyId: "AKIAEXAMPLE00INTRUDER", secretAccessKey: "intruder-secret-55b0d2", arn: "arn:aws:iam::123456789012:user/intruder" };
const sessionToken = "session-token-c4d8e2f6a0";

let dir: string;
let backend: DevBackend;
let identityId: string;
const jobs: LocalJob[] = [];
const credentialValues = [deployRole.secretAccessKey, intruder.secretAccessKey, sessionToken, "wrong-secret-0b1c2d"];

function awsEnv(key: { accessKeyId: string; secretAccessKey: string }): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, AWS_SESSION_TOKEN: sessionToken, AWS_REGION: "eu-west-1" };
}

async function runMain(inputs: Record<string, string>, env: Record<string, string>): Promise<{ job: LocalJob; main: StepResult }> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, { inputs: { domain: backend.info.infisical.addr, "project-slug": "shop", "env-slug": "prod", ...inputs }, env });
  return { job, main };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-dropin-aws-iam-"));
  const awsAuth = {
    infisical_identity_aws_auth: {
      ci_aws: {
        identity_id: ref("infisical_identity.ci_aws", "id"),
        allowed_principal_arns: ["arn:aws:iam::123456789012:role/ci-*"],
        allowed_account_ids: ["123456789012"],
      },
    },
  };
  const document = shopDocument([ciIdentity("ci_aws", "shop", { bound_audiences: ["unused"], bound_claims: { repository: "nobody/none" } }, readProd)], awsAuth);
  const file = join(dir, "main.tf.json");
  await writeFile(file, JSON.stringify({ ...document, resource: resources(document.resource) }));
  backend = await startDevBackend({ terraformFile: file, defaultJob: shopClaims, awsKeys: [deployRole, intruder] });
  identityId = String(backend.outputValues!.ci_aws);
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  await backend.close();
  await rm(dir, { recursive: true, force: true });
});

describe("Infisical/secrets-action steps with method: aws-iam", () => {
  it("logs in with the runner's AWS credentials, exports the folder's secrets, masks the credentials, and post revokes the token", async () => {
    const inputs = { method: "aws-iam", "identity-id": identityId, "secret-path": "/app/db" };
    const { job, main } = await runMain(inputs, awsEnv(deployRole));
    assert.equal(main.exitCode, 0, `main failed:\n${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("HOST"), shopValues.dbHost);
    assert.equal(job.env.get("PASSWORD"), shopValues.dbPassword);
    assert.ok(main.masks.includes(deployRole.secretAccessKey), "the secret access key is masked");
    assert.ok(main.masks.includes(sessionToken), "the session token is masked");
    assertNeverPrinted(main, [...Object.values(shopValues), ...credentialValues]);
    const post = await job.runStep(postScript, { inputs, state: main.state, env: awsEnv(deployRole) });
    assert.equal(post.exitCode, 0, post.stdout);
    assertNeverPrinted(post, credentialValues);
    const token = main.state.get("token");
    assert.ok(token, "main saved the access token for the post step");
    const read = await fetch(`${backend.info.infisical.addr}/api/v3/secrets/raw?workspaceSlug=shop&environment=prod&secretPath=%2F`, { headers: { authorization: `Bearer ${token}` } });
    await read.arrayBuffer();
    assert.equal(read.status, 401, "post revoked the access token");
  });

  it("is refused when the secret access key is wrong (the signature does not match)", async () => {
    const { main } = await runMain({ method: "aws-iam", "identity-id": identityId }, awsEnv({ ...deployRole, secretAccessKey: "wrong-secret-0b1c2d" }));
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: .*HTTP 401.*SignatureDoesNotMatch/);
    assertNeverPrinted(main, [...Object.values(shopValues), ...credentialValues]);
  });

  it("is refused when the caller's principal is not among allowed_principal_arns", async () => {
    const { main } = await runMain({ method: "aws-iam", "identity-id": identityId }, awsEnv(intruder));
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::KB_LOGIN_REFUSED: .*HTTP 401.*AWS principal ARN not allowed\. \(principal arn:aws:iam::123456789012:user\/intruder\)/);
    assertNeverPrinted(main, [...Object.values(shopValues), ...credentialValues]);
  });

  it("fails as secrets-action does when identity-id is missing, before anything is sent", async () => {
    const { main } = await runMain({ method: "aws-iam" }, awsEnv(deployRole));
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::.*Missing identity ID for AWS IAM auth/);
    assertNeverPrinted(main, credentialValues);
  });
});
