// `keybridge run` and `keybridge env` as a user runs them, against `keybridge dev` as a process.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { devVaultAdmin, vaultCall, vaultRequest } from "../../testkit/admin/vault.ts";
import { requestJobToken } from "../../testkit/admin/oidc-jobs.ts";
import { filesHolding } from "../support/disk-scan.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = keybridgeCommandLine([]);
const password = "run-pw-5a9c2e71b3";
const apiKey = "run-key-77f0e1c9d4";
const audience = "https://github.com/acme";
const job = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };

let backend: RunningDevBackend;
let work: string;
const started = Date.now();

async function vault(method: string, path: string, body?: unknown): Promise<void> {
  const reply = await vaultCall(devVaultAdmin(backend.info), method, path, { body });
  assert.ok(reply.status >= 200 && reply.status < 300, `${method} ${path}: ${reply.status} ${reply.text}`);
}

async function jwtFile(name: string): Promise<string> {
  const file = join(work, name);
  writeFileSync(file, await requestJobToken(await backend.mintJob(job), audience), { mode: 0o600 });
  return file;
}

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the command; `onOutput` sees stdout as it grows, with the process's pid (to signal it once the program says it is ready). */
function keybridge(args: string[], env: Record<string, string> = {}, onOutput?: (stdout: string, pid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cli.command, [...cli.args, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH ?? "", HOME: work, VAULT_ADDR: backend.info.vault.addr, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (child.pid) onOutput?.(stdout, child.pid);
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const root_ = () => ({ VAULT_TOKEN: backend.info.vault.rootToken });

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kb-run-"));
  backend = await launchDevBackend(["--verbose"]);
  await vault("POST", "secret/data/ml/dev/database", { data: { password, username: "trainer" } });
  await vault("POST", "secret/data/ml/dev/wandb", { data: { api_key: apiKey } });
  await vault("POST", "sys/auth/jwt", { type: "jwt" });
  await vault("POST", "auth/jwt/config", { oidc_discovery_url: "https://token.actions.githubusercontent.com", bound_issuer: "https://token.actions.githubusercontent.com" });
  await vault("PUT", "sys/policies/acl/ml-dev", { policy: 'path "secret/data/ml/dev/database" { capabilities = ["read"] }' });
  const role = { role_type: "jwt", user_claim: "repository", bound_audiences: [audience], bound_claims: { repository: "acme/training" }, token_policies: ["ml-dev"] };
  await vault("POST", "auth/jwt/role/short", { ...role, token_ttl: "3s", token_max_ttl: "60s" });
  await vault("POST", "auth/jwt/role/capped", { ...role, token_ttl: "2s", token_max_ttl: "4s" });
  writeFileSync(join(work, "keybridge.yml"), [
    `url: ${backend.info.vault.addr}`,
    "environments:",
    "  dev:",
    "    secrets:",
    "      - secret/data/ml/dev/database password | DB_PASSWORD",
    "      - secret/data/ml/dev/wandb api_key | WANDB_API_KEY",
  ].join("\n"));
});

after(async () => {
  await backend.stop();
  rmSync(work, { recursive: true, force: true });
});

function assertNotPrinted(run: Run): void {
  for (const value of [password, apiKey]) assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), "a secret value appears in keybridge's output");
}

describe("keybridge run", () => {
  it("gives the program its secrets from keybridge.yml and passes its exit code through", async () => {
    const run = await keybridge(["run", "--env", "dev", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED_PW" && test -n "$WANDB_API_KEY" && echo child-ok && exit 7'], { ...root_(), EXPECTED_PW: password });
    assert.equal(run.code, 7, run.stderr);
    assert.match(run.stdout, /child-ok/);
    assert.match(run.stderr, /fetched 2 secrets: DB_PASSWORD, WANDB_API_KEY/);
    assertNotPrinted(run);
  });

  it("does not start the program when a secret cannot be fetched", async () => {
    const marker = join(work, "started");
    const run = await keybridge(["run", "--auth", "jwt-file", "--jwt-file", await jwtFile("denied.jwt"), "--role", "short",
      "--secrets", "secret/data/ml/dev/database password", "--secrets", "secret/data/ml/dev/wandb api_key", "--", "touch", marker]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /secret\/data\/ml\/dev\/wandb: permission denied \(HTTP 403\)/);
    assert.match(run.stderr, /The command was not started/);
    assert.equal(existsSync(marker), false);
  });

  it("renews a short-lived token while the program runs, and revokes it after", async () => {
    const run = await keybridge(["run", "--auth", "jwt-file", "--jwt-file", await jwtFile("short.jwt"), "--role", "short",
      "--secrets", "secret/data/ml/dev/database password | DB_PASSWORD", "--", "sleep", "6"]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok((run.stderr.match(/renewed the token for 3 s/g) ?? []).length >= 2, run.stderr);
    assert.match(run.stderr, /revoked the token and its leases/);
  });

  it("says when the maximum TTL stops renewal, and signals the program at expiry with --on-expiry signal", async () => {
    const run = await keybridge(["run", "--auth", "jwt-file", "--jwt-file", await jwtFile("capped.jwt"), "--role", "capped", "--on-expiry", "signal",
      "--secrets", "secret/data/ml/dev/database password | DB_PASSWORD", "--", "sleep", "30"]);
    assert.match(run.stderr, /the token reached its maximum lifetime: renewal is no longer possible/);
    assert.match(run.stderr, /the token expired: sending sleep SIGTERM/);
    assert.equal(run.code, 143, "the program ended by SIGTERM");
  });

  it("forwards SIGTERM to the program and still revokes", async () => {
    // The signal goes once the program says its trap is set, however slow the machine is; the
    // program sleeps in short steps, so the shell runs the trap at the next step wherever it lands.
    let signalled = false;
    const run = await keybridge(["run", "--env", "dev", "--", "sh", "-c", 'trap "echo got-term; exit 42" TERM; echo trap-set; i=0; while [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done'], root_(), (stdout, pid) => {
      if (signalled || !stdout.includes("trap-set")) return;
      signalled = true;
      process.kill(pid, "SIGTERM");
    });
    assert.match(run.stdout, /got-term/);
    assert.equal(run.code, 42);
  });

  it("leaves nothing of the values on disk", async () => {
    await keybridge(["run", "--env", "dev", "--", "true"], root_());
    assert.deepEqual(filesHolding([work, tmpdir()], [password, apiKey], started), []);
  });
});

describe("keybridge env", () => {
  it("prints the set as shell exports, with a warning that it holds secrets", async () => {
    const run = await keybridge(["env", "--env", "dev", "--format", "shell"], root_());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^export DB_PASSWORD='${password}'$`, "m"));
    assert.match(run.stderr, /warning: the output holds secrets/);
    assert.ok(!run.stderr.includes(password));
  });

  it("fails with one line naming an unknown environment", async () => {
    const run = await keybridge(["env", "--env", "staging"], root_());
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "keybridge env: KB_USAGE: --env staging is not an environment of keybridge.yml; it has dev\n");
  });
});

describe("keybridge run with AppRole and a database lease", () => {
  const role = "ml-train";
  let roleId: string;

  const vaultJson = (method: string, path: string, body?: unknown) => vaultCall(devVaultAdmin(backend.info), method, path, { body });

  /** A fresh secret ID in a 0600 file, as a machine would be handed one. */
  async function secretIdFile(name: string): Promise<string> {
    const file = join(work, name);
    writeFileSync(file, `${(await vaultJson("POST", "auth/approle/role/trainer/secret-id", {})).body.data.secret_id}\n`, { mode: 0o600 });
    return file;
  }

  /** The lease ids under database/creds/ROLE/ that the dev backend holds now (LIST needs the root token). */
  async function leaseIds(): Promise<string[]> {
    const reply = await vaultJson("LIST", `sys/leases/lookup/database/creds/${role}/`);
    return reply.status === 200 ? (reply.body.data.keys as string[]).map((key) => `database/creds/${role}/${key}`) : [];
  }

  before(async () => {
    await vault("POST", "sys/auth/approle", { type: "approle" });
    await vault("POST", "sys/mounts/database", { type: "database" });
    await vault("POST", "database/config/ml", {
      plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@pg.internal:5432/ml",
      username: "vault", password: "run-db-root-pw-2c8e", allowed_roles: [role],
    });
    await vault("POST", `database/roles/${role}`, { db_name: "ml", creation_statements: ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\';'], default_ttl: "3s", max_ttl: "60s" });
    await vault("PUT", "sys/policies/acl/ml-train", {
      policy: `path "database/creds/${role}" { capabilities = ["read"] }\npath "secret/data/ml/dev/database" { capabilities = ["read"] }`,
    });
    await vault("POST", "auth/approle/role/trainer", { token_policies: ["ml-train"], token_ttl: "30s", token_max_ttl: "10m" });
    roleId = (await vaultJson("GET", "auth/approle/role/trainer/role-id")).body.data.role_id;
  });

  it("logs in with --auth approle --role-id --secret-id-file and gives the program its secrets", async () => {
    const run = await keybridge(["run", "--auth", "approle", "--role-id", roleId, "--secret-id-file", await secretIdFile("approle.secret-id"),
      "--secrets", "secret/data/ml/dev/database password | DB_PASSWORD", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED_PW" && echo approle-ok'], { EXPECTED_PW: password });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /approle-ok/);
    assert.match(run.stderr, /fetched 1 secret: DB_PASSWORD/);
    assert.match(run.stderr, /revoked the token and its leases/);
    assertNotPrinted(run);
  });

  it("fails closed on a secret ID AppRole refuses, without printing it", async () => {
    const file = join(work, "wrong.secret-id");
    writeFileSync(file, "wrong-secret-id-5e1f\n", { mode: 0o600 });
    const marker = join(work, "approle-started");
    const run = await keybridge(["run", "--auth", "approle", "--role-id", roleId, "--secret-id-file", file,
      "--secrets", "secret/data/ml/dev/database password", "--", "touch", marker]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /refused the AppRole login at auth\/approle \(HTTP 400\): invalid role or secret ID/);
    assert.equal(existsSync(marker), false);
    assert.ok(!run.stderr.includes("wrong-secret-id-5e1f"), "the secret ID appears in keybridge's output");
  });

  it("renews a 3 s database lease across several periods while the program sleeps, revokes it after, and leaves the credential nowhere", async () => {
    let seen: string[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling && seen.length === 0) {
        seen = await leaseIds();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    // The program shows the credential only base64-encoded, so the test learns it while the
    // plain value can still be searched for in every output and file.
    const run = await keybridge(["run", "--auth", "approle", "--role-id", roleId, "--secret-id-file", await secretIdFile("lease.secret-id"),
      "--secrets", `database/creds/${role} username | DB_USERNAME`, "--secrets", `database/creds/${role} password | DB_PASSWORD`,
      "--", "sh", "-c", 'echo "user64=$(printf %s "$DB_USERNAME" | base64 | tr -d "\\n")"; echo "pass64=$(printf %s "$DB_PASSWORD" | base64 | tr -d "\\n")"; sleep 7']);
    polling = false;
    await poll;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /fetched 2 secrets: DB_USERNAME, DB_PASSWORD/);
    const renewals = run.stderr.match(/renewed the lease of database\/creds\/ml-train for 3 s/g) ?? [];
    assert.ok(renewals.length >= 2, `expected renewals across several 3 s periods:\n${run.stderr}`);
    assert.match(run.stderr, /revoked the token and its leases/);

    assert.equal(seen.length, 1, "one lease was held while the program ran");
    const gone = await vaultJson("PUT", "sys/leases/lookup", { lease_id: seen[0] });
    assert.deepEqual([gone.status, gone.body], [400, { errors: ["invalid lease"] }]);
    assert.deepEqual(await leaseIds(), []);

    const decode = (name: string) => Buffer.from(new RegExp(`^${name}=(\\S+)$`, "m").exec(run.stdout)?.[1] ?? "", "base64").toString("utf8");
    const username = decode("user64");
    const dbPassword = decode("pass64");
    assert.match(username, /^v-ml-train-[A-Za-z0-9]{20}$/);
    assert.match(dbPassword, /^A1a-[A-Za-z0-9]{20}$/);
    for (const value of [username, dbPassword]) {
      assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), "the credential appears in keybridge's output");
      assert.ok(!backend.stderr().includes(value), "the credential appears in the dev backend's log");
    }
    assert.deepEqual(filesHolding([work, tmpdir()], [username, dbPassword], started), []);
  });

  // Failing closed also ends what was already fetched: keybridge run's own AppRole token, and with
  // it the lease of the dynamic secret it did read, instead of leaving both alive to their TTLs.
  it("revokes its token and the leases it got when it fails closed", async () => {
    const run = await keybridge(["run", "--auth", "approle", "--role-id", roleId, "--secret-id-file", await secretIdFile("failed.secret-id"),
      "--secrets", `database/creds/${role} password | DB_PASSWORD`, "--secrets", "secret/data/ml/dev/wandb api_key", "--", "true"]);
    const left = await leaseIds();
    // What it left behind must not reach the next test.
    await vault("PUT", `sys/leases/revoke-prefix/database/creds/${role}`, {});
    await vault("PUT", "sys/leases/revoke-prefix/auth/approle/login", {});
    assert.equal(run.code, 1);
    assert.match(run.stderr, /The command was not started/);
    assert.deepEqual(left, [], "the lease of the credential it read is still alive");
  });

  it("revokes the lease itself when the token was the user's own (VAULT_TOKEN)", async () => {
    const run = await keybridge(["run", "--secrets", `database/creds/${role} password | DB_PASSWORD`, "--", "sh", "-c", 'test -n "$DB_PASSWORD"'], root_());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /revoked 1 lease \(the token was yours and stays valid\)/);
    assert.deepEqual(await leaseIds(), []);
  });
});

const loginDbPassword = "run-login-db-3c9e";
const userPassword = "run-login-user-71ab";

/** A root POST whose answer's data a test needs (a minted credential). */
const rootData = (path: string, body: unknown): Promise<any> => vaultRequest(devVaultAdmin(backend.info), "POST", path, body);

const readDbPassword = ["--secrets", "secret/data/app/db password | DB_PASSWORD", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED" && echo matched'];

describe("keybridge run with the Kubernetes, userpass, LDAP and GitHub methods", () => {
  before(async () => {
    await vault("PUT", "sys/policy/app-read", { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
    await vault("POST", "secret/data/app/db", { data: { password: loginDbPassword } });
    for (const type of ["userpass", "ldap", "kubernetes", "github"]) await vault("POST", `sys/auth/${type}`, { type });
    await vault("POST", "auth/userpass/users/deployer", { password: userPassword, token_policies: "app-read" });
    await vault("POST", "auth/ldap/users/alice", { password: userPassword, token_policies: "app-read" });
    await vault("POST", "auth/kubernetes/config", { kubernetes_host: "https://kubernetes.default.svc" });
    await vault("POST", "auth/kubernetes/role/app", { bound_service_account_names: "app", bound_service_account_namespaces: "ci", token_policies: "app-read" });
    await vault("POST", "auth/github/config", { organization: "acme" });
    await vault("POST", "auth/github/map/users/octocat", { value: "app-read" });
  });

  it("--auth userpass and --auth ldap take the password from VAULT_PASSWORD", async () => {
    for (const [method, user] of [["userpass", "deployer"], ["ldap", "alice"]] as const) {
      const run = await keybridge(["run", "--auth", method, "--username", user, ...readDbPassword], { VAULT_PASSWORD: userPassword, EXPECTED: loginDbPassword });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /matched/);
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(`${userPassword}|${loginDbPassword}`));
    }
  });

  it("--auth kubernetes reads the service-account token from --token-path", async () => {
    const minted = await rootData("auth/kubernetes/service-account-token", { namespace: "ci", service_account_name: "app" });
    const tokenPath = join(work, "sa-token");
    writeFileSync(tokenPath, minted.data.token, { mode: 0o600 });
    const run = await keybridge(["run", "--auth", "kubernetes", "--role", "app", "--token-path", tokenPath, ...readDbPassword], { EXPECTED: loginDbPassword });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
  });

  it("--auth github takes the GitHub token from VAULT_AUTH_GITHUB_TOKEN", async () => {
    const issued = await rootData("auth/github/dev-token", { user: "octocat" });
    const run = await keybridge(["run", "--auth", "github", ...readDbPassword], { VAULT_AUTH_GITHUB_TOKEN: issued.data.token, EXPECTED: loginDbPassword });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
  });

  it("says which flag a method needs", async () => {
    const run = await keybridge(["run", "--auth", "userpass", ...readDbPassword], {});
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--auth userpass needs --username U/);
  });
});
