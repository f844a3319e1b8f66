// `keybridge run` logs in with the methods issue 14 added to the client (through the same
// registry the Action uses): userpass and LDAP with VAULT_PASSWORD, Kubernetes with a token file,
// Vault's GitHub method with VAULT_AUTH_GITHUB_TOKEN; against `keybridge dev` as a process.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../dev/launch.ts";

const cli = fileURLToPath(new URL("../../bin/keybridge.ts", import.meta.url));
const dbPassword = "run-login-db-3c9e";
const userPassword = "run-login-user-71ab";

let backend: RunningDevBackend;
let work: string;

async function vault(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${backend.info.vault.addr}/v1/${path}`, {
    method, headers: { "X-Vault-Token": backend.info.vault.rootToken }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

function keybridge(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH ?? "", HOME: work, VAULT_ADDR: backend.info.vault.addr, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const secrets = ["--secrets", "secret/data/app/db password | DB_PASSWORD", "--", "sh", "-c", 'test "$DB_PASSWORD" = "$EXPECTED" && echo matched'];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "keybridge-run-login-"));
  backend = await launchDevBackend();
  await vault("PUT", "sys/policy/app-read", { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
  await vault("POST", "secret/data/app/db", { data: { password: dbPassword } });
  for (const type of ["userpass", "ldap", "kubernetes", "github"]) await vault("POST", `sys/auth/${type}`, { type });
  await vault("POST", "auth/userpass/users/deployer", { password: userPassword, token_policies: "app-read" });
  await vault("POST", "auth/ldap/users/alice", { password: userPassword, token_policies: "app-read" });
  await vault("POST", "auth/kubernetes/config", { kubernetes_host: "https://kubernetes.default.svc" });
  await vault("POST", "auth/kubernetes/role/app", { bound_service_account_names: "app", bound_service_account_namespaces: "ci", token_policies: "app-read" });
  await vault("POST", "auth/github/config", { organization: "acme" });
  await vault("POST", "auth/github/map/users/octocat", { value: "app-read" });
});

after(async () => {
  assert.equal(await backend.stop(), 0);
  rmSync(work, { recursive: true, force: true });
});

describe("keybridge run with issue 14's login methods", () => {
  it("--auth userpass and --auth ldap take the password from VAULT_PASSWORD", async () => {
    for (const [method, user] of [["userpass", "deployer"], ["ldap", "alice"]] as const) {
      const run = await keybridge(["run", "--auth", method, "--username", user, ...secrets], { VAULT_PASSWORD: userPassword, EXPECTED: dbPassword });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /matched/);
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(`${userPassword}|${dbPassword}`));
    }
  });

  it("--auth kubernetes reads the service-account token from --token-path", async () => {
    const minted = await vault("POST", "auth/kubernetes/service-account-token", { namespace: "ci", service_account_name: "app" });
    const tokenPath = join(work, "sa-token");
    writeFileSync(tokenPath, minted.data.token, { mode: 0o600 });
    const run = await keybridge(["run", "--auth", "kubernetes", "--role", "app", "--token-path", tokenPath, ...secrets], { EXPECTED: dbPassword });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
  });

  it("--auth github takes the GitHub token from VAULT_AUTH_GITHUB_TOKEN", async () => {
    const issued = await vault("POST", "auth/github/dev-token", { user: "octocat" });
    const run = await keybridge(["run", "--auth", "github", ...secrets], { VAULT_AUTH_GITHUB_TOKEN: issued.data.token, EXPECTED: dbPassword });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /matched/);
  });

  it("says which flag a method needs", async () => {
    const run = await keybridge(["run", "--auth", "userpass", ...secrets], {});
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--auth userpass needs --username U/);
  });
});
