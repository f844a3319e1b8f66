// The leaked-credential drill end to end: `keybridge dev` (a real process, its policy from
// hand-written Terraform, its audit device on a file) serves three jobs that run the committed
// Action bundle through three different roles and read the same secret; then `keybridge
// incident` (a real process) finds the three in the audit log, revokes their tokens (each is
// refused afterwards) and lists the roles that could still read the secret. The jobs run main
// only: their post step would revoke the tokens the drill is there to find.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { oidcEnv } from "../../testkit/admin/oidc-jobs.ts";
import { LocalJob } from "../../testkit/runner-emulator/job.ts";
import { devVaultAdmin, vaultCall, writeKvSecret } from "../../testkit/admin/vault.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const secretPath = "secret/data/ml-training/prod/database";

// Three roles read the database secret through one policy; a fourth reads something else.
const terraform = `
resource "vault_jwt_auth_backend" "github" {
  path               = "jwt"
  oidc_discovery_url = "https://token.actions.githubusercontent.com"
  bound_issuer       = "https://token.actions.githubusercontent.com"
}

resource "vault_mount" "secret" {
  path    = "secret"
  type    = "kv"
  options = { version = "2" }
}

resource "vault_policy" "database" {
  name   = "ml-training-prod-database"
  policy = <<-EOT
    path "secret/data/ml-training/prod/database" {
      capabilities = ["read"]
    }
  EOT
}

resource "vault_policy" "reports" {
  name   = "reports-read"
  policy = <<-EOT
    path "secret/data/reports/*" {
      capabilities = ["read"]
    }
  EOT
}

locals {
  readers = {
    "training-main"    = { repository = "acme/training", ref = "refs/heads/main" }
    "training-release" = { repository = "acme/training", ref = "refs/heads/release/*" }
    "nightly-backup"   = { repository = "acme/backup", ref = "refs/heads/main" }
  }
}

resource "vault_jwt_auth_backend_role" "reader" {
  for_each          = local.readers
  backend           = vault_jwt_auth_backend.github.path
  role_name         = each.key
  role_type         = "jwt"
  user_claim        = "repository"
  bound_audiences   = ["https://github.com/acme"]
  bound_claims_type = "glob"
  bound_claims      = each.value
  claim_mappings    = { repository = "repository", ref = "ref", workflow = "workflow" }
  token_policies    = [vault_policy.database.name]
  token_ttl         = 600
}

resource "vault_jwt_auth_backend_role" "reports" {
  backend         = vault_jwt_auth_backend.github.path
  role_name       = "reports"
  role_type       = "jwt"
  user_claim      = "repository"
  bound_audiences = ["https://github.com/acme"]
  bound_claims    = { repository = "acme/reports" }
  token_policies  = [vault_policy.reports.name]
}
`;

const jobsToRun = [
  { role: "training-main", claims: { repository: "acme/training", ref: "refs/heads/main", workflow: "train" } },
  { role: "training-release", claims: { repository: "acme/training", ref: "refs/heads/release/2", workflow: "release" } },
  { role: "nightly-backup", claims: { repository: "acme/backup", ref: "refs/heads/main", workflow: "nightly" } },
];

let dir: string;
let auditLog: string;
let terraformDir: string;
let backend: RunningDevBackend;
let password: string;
const jobs: LocalJob[] = [];
/** The jobs' tokens, in jobsToRun's order, with their accessors as the backend tells them. */
const readers: { token: string; accessor: string }[] = [];

interface Drill {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: any;
  readonly markdown: string;
}

async function drill(reportName: string, ...flags: string[]): Promise<Drill> {
  const report = join(dir, reportName);
  const { command, args } = keybridgeCommandLine(["incident", "--path", secretPath, "--audit-log", auditLog, "--from", terraformDir, "--report", report, ...flags]);
  const env = { PATH: process.env.PATH ?? "", HOME: dir, VAULT_ADDR: backend.info.vault.addr, VAULT_TOKEN: backend.info.vault.rootToken };
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, [...args], { env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
  assert.equal(code, 0, `keybridge incident failed:\n${stdout}\n${stderr}`);
  return { code, stdout, stderr, json: JSON.parse(await readFile(join(report, "incident.json"), "utf8")), markdown: await readFile(join(report, "incident.md"), "utf8") };
}

async function lookupSelfStatus(token: string): Promise<number> {
  return (await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token })).status;
}

function assertNoSecret(what: string, text: string): void {
  assert.ok(!text.includes(password), `${what} holds the secret's value`);
  for (const { token } of readers) assert.ok(!text.includes(token), `${what} holds a token`);
  assert.ok(!text.includes(backend.info.vault.rootToken), `${what} holds the root token`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-incident-"));
  auditLog = join(dir, "audit.log");
  terraformDir = join(dir, "infra");
  await mkdir(terraformDir);
  await writeFile(join(terraformDir, "main.tf"), terraform);
  backend = await launchDevBackend(["--terraform", terraformDir, "--audit-log", auditLog]);
  password = randomBytes(18).toString("base64url");
  await writeKvSecret(devVaultAdmin(backend.info), "ml-training/prod/database", { password });

  for (const { role, claims } of jobsToRun) {
    const job = await LocalJob.create();
    jobs.push(job);
    const main = await job.runStep(mainScript, {
      inputs: { url: backend.info.vault.addr, role, secrets: `${secretPath} password | DB_PASSWORD` },
      env: oidcEnv(await backend.mintJob(claims)),
      timeoutMs: 60_000,
    });
    assert.equal(main.exitCode, 0, `the ${role} job failed:\n${main.stdout}\n${main.stderr}`);
    assert.equal(job.env.get("DB_PASSWORD"), password);
    const token = [...main.state.values()].find((value) => value.startsWith("hvs."));
    assert.ok(token, `the ${role} job saved no token for its post step`);
    const self = await vaultCall(devVaultAdmin(backend.info), "GET", "auth/token/lookup-self", { token });
    readers.push({ token, accessor: self.body.data.accessor });
  }
});

after(async () => {
  await Promise.all(jobs.map((job) => job.dispose()));
  if (backend) assert.equal(await backend.stop(), 0, "keybridge dev did not exit cleanly");
  await rm(dir, { recursive: true, force: true });
});

describe("keybridge incident, end to end", () => {
  it("in a dry run finds all three readers with their roles and claims, and revokes nothing", async () => {
    const result = await drill("dry", "--dry-run");
    assert.equal(result.json.dryRun, true);
    assert.deepEqual(result.json.readers.map((reader: any) => reader.role).sort(), jobsToRun.map((job) => job.role).sort());
    for (const [index, { role, claims }] of jobsToRun.entries()) {
      const reader = result.json.readers.find((entry: any) => entry.role === role);
      assert.equal(reader.action, "would-revoke");
      assert.equal(reader.accessor, readers[index]!.accessor, "the log's HMAC-ed accessor is matched to the live one");
      assert.deepEqual(reader.metadata, { role, ...claims }, "the login's role and claim_mappings, as Vault writes them");
      assert.equal(reader.displayName, `jwt-${claims.repository}`);
      assert.deepEqual(reader.policies, ["default", "ml-training-prod-database"]);
      assert.equal(reader.reads, 1);
      assert.deepEqual(reader.remoteAddresses, ["127.0.0.1"]);
    }
    for (const { token } of readers) assert.equal(await lookupSelfStatus(token), 200, "a dry run must leave every token alive");
    assert.match(result.stdout, /would revoke 3 live tokens/);
    assert.match(result.markdown, /Dry run: nothing was changed/);
    assertNoSecret("the dry run's report", result.markdown + JSON.stringify(result.json) + result.stdout + result.stderr);
  });

  it("with --since after the reads finds nobody and counts the earlier reads", async () => {
    const result = await drill("since", "--dry-run", "--since", new Date(Date.now() + 60_000).toISOString());
    assert.deepEqual(result.json.readers, []);
    assert.equal(result.json.reads.counted, 0);
    assert.equal(result.json.reads.beforeSince, 3);
    const recent = await drill("recent", "--dry-run", "--since", "1h");
    assert.equal(recent.json.readers.length, 3);
  });

  it("revokes all three tokens (each refused afterwards) and lists the roles that could still read it", async () => {
    const result = await drill("live");
    assert.deepEqual(result.json.readers.map((reader: any) => reader.action), ["revoked", "revoked", "revoked"]);
    for (const { token } of readers) assert.equal(await lookupSelfStatus(token), 403, "a revoked token must be refused");
    for (const { token } of readers) {
      assert.equal((await vaultCall(devVaultAdmin(backend.info), "GET", secretPath, { token })).status, 403);
    }
    assert.deepEqual(
      result.json.couldRead.roles.map((role: any) => role.role).sort(),
      ["auth/jwt/role/nightly-backup", "auth/jwt/role/training-main", "auth/jwt/role/training-release"],
      "the three reader roles could log in again; reports cannot read the path",
    );
    assert.equal(result.json.rotation.rotated, false);
    assert.match(result.stdout, /revoked 3 live tokens, 0 no longer live/);
    assert.match(result.stdout, /could still read it: 3 roles/);
    assert.match(result.markdown, /## Who could still read it/);
    assert.equal((await stat(join(dir, "live", "incident.json"))).mode & 0o777, 0o600);
    assertNoSecret("the report", result.markdown + JSON.stringify(result.json) + result.stdout + result.stderr);
  });

  it("run again, finds the same readers no longer live and revokes nothing", async () => {
    const result = await drill("again");
    assert.deepEqual(result.json.readers.map((reader: any) => reader.action), ["not-live", "not-live", "not-live"]);
    assert.match(result.stdout, /revoked 0 live tokens, 3 no longer live/);
  });
});
