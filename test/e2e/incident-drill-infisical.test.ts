// The leaked-credential drill on Infisical end to end: `keybridge dev` (a real process, loaded
// with the hand-written "shop" project) serves three jobs that run the committed Action bundle
// (backend infisical, main step only: post would revoke the tokens the drill is there to find) as
// three machine identities reading the same secret, and a fourth that reads another folder. Then
// `keybridge incident --backend infisical` (a real process, as an organization admin identity)
// finds the three in Infisical's audit logs, changes nothing in a dry run, filters by --since,
// cuts the three off (each token refused with 401 afterwards, and no new login) and lists the
// identities that could still read the secret.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv, requestJobToken } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";
import { ciIdentity } from "../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../support/infisical-shop.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const secret = "shop/prod/app/db/PASSWORD";
const readProd = [{ action: ["describeSecret", "readValue"], conditions: { environment: { $eq: "prod" } } }];
const readers = ["reader_main", "reader_release", "reader_nightly"];

function document() {
  const admin = ciIdentity("incident_admin", "shop", shopAuth, []);
  admin.infisical_identity!.incident_admin!.role = "admin";
  return shopDocument([...readers.map((name) => ciIdentity(name, "shop", shopAuth, readProd)), ciIdentity("reader_other", "shop", shopAuth, readProd), admin]);
}

let dir: string;
let terraformDir: string;
let backend: RunningDevBackend;
let outputs: Record<string, string>;
let adminToken: string;
const jobs: LocalJob[] = [];
/** The readers' access tokens, in readers' order. */
const tokens: string[] = [];
let otherToken: string;

interface Drill {
  readonly stdout: string;
  readonly stderr: string;
  readonly json: any;
  readonly markdown: string;
}

async function drill(reportName: string, ...flags: string[]): Promise<Drill> {
  const report = join(dir, reportName);
  const { command, args } = keybridgeCommandLine([
    "incident", "--backend", "infisical", "--path", secret, "--project-id", outputs.project_id!, "--from", terraformDir, "--report", report, ...flags,
  ]);
  const env = { PATH: process.env.PATH ?? "", HOME: dir, INFISICAL_URL: backend.info.infisical!.addr, INFISICAL_TOKEN: adminToken };
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, [...args], { env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
  assert.equal(code, 0, `keybridge incident failed:\n${stdout}\n${stderr}`);
  return { stdout, stderr, json: JSON.parse(await readFile(join(report, "incident.json"), "utf8")), markdown: await readFile(join(report, "incident.md"), "utf8") };
}

/** A read of the folder (the leaked secret's by default) with the token: its HTTP status. */
async function readStatus(token: string, folder = "/app/db"): Promise<number> {
  const url = `${backend.info.infisical!.addr}/api/v3/secrets/raw?workspaceSlug=shop&environment=prod&secretPath=${encodeURIComponent(folder)}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** An OIDC login of the identity as a job of acme/shop would make it. */
async function login(identityId: string): Promise<{ status: number; token: string }> {
  const jwt = await requestJobToken(await backend.mintJob(shopClaims), "https://github.com/acme");
  const response = await fetch(`${backend.info.infisical!.addr}/api/v1/auth/oidc-auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identityId, jwt }),
  });
  const body = (await response.json()) as { accessToken?: string };
  return { status: response.status, token: body.accessToken ?? "" };
}

function assertNoSecret(what: string, text: string): void {
  assert.ok(!text.includes(shopValues.dbPassword), `${what} holds the secret's value`);
  for (const token of [...tokens, otherToken, adminToken]) assert.ok(!text.includes(token), `${what} holds a token`);
}

async function runJob(identity: string, secrets: string): Promise<string> {
  const job = await LocalJob.create();
  jobs.push(job);
  const main = await job.runStep(mainScript, {
    inputs: { backend: "infisical", url: backend.info.infisical!.addr, "identity-id": outputs[identity]!, project: "shop", environment: "prod", secrets },
    env: oidcEnv(await backend.mintJob(shopClaims)),
    timeoutMs: 60_000,
  });
  assert.equal(main.exitCode, 0, `the ${identity} job failed:\n${main.stdout}\n${main.stderr}`);
  const token = main.state.get("token");
  assert.ok(token, `the ${identity} job saved no token for its post step`);
  return token;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-incident-infisical-"));
  terraformDir = join(dir, "infra");
  await mkdir(terraformDir);
  await writeFile(join(terraformDir, "main.tf.json"), JSON.stringify(document(), null, 2));
  backend = await launchDevBackend(["--terraform", join(terraformDir, "main.tf.json")]);
  outputs = backend.info.outputs as Record<string, string>;
  for (const name of readers) tokens.push(await runJob(name, "/app/db PASSWORD | DB_PASSWORD"));
  otherToken = await runJob("reader_other", "/shared SHARED | SHARED_VALUE");
  const admin = await login(outputs.incident_admin!);
  assert.equal(admin.status, 200, "the admin identity logs in");
  adminToken = admin.token;
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  if (backend) assert.equal(await backend.stop(), 0, "keybridge dev did not exit cleanly");
  await rm(dir, { recursive: true, force: true });
});

describe("keybridge incident --backend infisical, end to end", () => {
  it("in a dry run finds the three identities that read the secret, not the fourth, and changes nothing", async () => {
    const result = await drill("dry", "--dry-run");
    assert.equal(result.json.dryRun, true);
    assert.deepEqual(result.json.readers.map((reader: any) => reader.name).sort(), [...readers].sort());
    for (const name of readers) {
      const reader = result.json.readers.find((entry: any) => entry.name === name);
      assert.equal(reader.actorType, "identity");
      assert.equal(reader.actorId, outputs[name]);
      assert.equal(reader.action, "would-revoke");
      assert.deepEqual(reader.authMethods, ["oidc-auth"]);
      assert.ok(reader.reads >= 1);
      assert.deepEqual(reader.ipAddresses, ["127.0.0.1"]);
    }
    for (const token of tokens) assert.equal(await readStatus(token), 200, "a dry run must leave every token alive");
    assert.equal(await readStatus(otherToken, "/shared"), 200);
    assert.match(result.stdout, /would cut off 3 identities/);
    assert.match(result.markdown, /Dry run: nothing was changed/);
    assertNoSecret("the dry run's report", result.markdown + JSON.stringify(result.json) + result.stdout + result.stderr);
  });

  it("with --since after the reads finds nobody: the audit logs are asked from that moment on", async () => {
    const since = new Date(Date.now() + 60_000).toISOString();
    const result = await drill("since", "--dry-run", "--since", since);
    assert.deepEqual(result.json.readers, []);
    assert.equal(result.json.reads.counted, 0);
    assert.equal(result.json.window.start, since);
    const recent = await drill("recent", "--dry-run", "--since", "1h");
    assert.equal(recent.json.readers.length, 3);
  });

  it("cuts the three off: each token is refused with 401 and a new login fails; the fourth keeps reading", async () => {
    const result = await drill("live");
    assert.deepEqual(result.json.readers.map((reader: any) => reader.action), ["revoked", "revoked", "revoked"]);
    for (const token of tokens) assert.equal(await readStatus(token), 401, "a cut-off identity's token must be refused");
    for (const name of readers) assert.equal((await login(outputs[name]!)).status, 404, "no OIDC auth is left to log in with");
    assert.equal(await readStatus(otherToken, "/shared"), 200, "an identity that never read the secret is left alone");
    assert.equal(result.json.couldRead.roles.length, 4, `the three readers and reader_other may read it, according to the configuration: ${JSON.stringify(result.json.couldRead.roles)}`);
    assert.equal(result.json.rotation.rotated, false);
    assert.match(result.stdout, /cut off 3 identities, 0 left to revoke by hand/);
    assert.match(result.markdown, /## Who could still read it/);
    assert.equal((await stat(join(dir, "live", "incident.json"))).mode & 0o777, 0o600);
    assertNoSecret("the report", result.markdown + JSON.stringify(result.json) + result.stdout + result.stderr);
  });

  it("run again, finds the same readers with no auth left and detaches nothing", async () => {
    const result = await drill("again");
    assert.deepEqual(result.json.readers.map((reader: any) => reader.action), ["no-auth-method", "no-auth-method", "no-auth-method"]);
  });
});
