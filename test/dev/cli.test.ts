// `keybridge dev` as a separate process: the JSON line testkit/launch-dev-backend.ts reads, a job's whole journey
// (mint, token request, login with the demo's configuration, read, revoke), clean exit on SIGTERM,
// and one-line usage errors with exit status 2.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";
import { configureDemo, demoRole, type DemoSecrets } from "../../testkit/demo-setup.ts";

const cli = fileURLToPath(new URL("../../bin/keybridge.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");

function run(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", tsx, cli, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("keybridge dev --json, end to end", () => {
  let backend: RunningDevBackend;
  let secrets: DemoSecrets;

  before(async () => {
    backend = await launchDevBackend(["--verbose", "--job", "repository=acme/training,environment=prod"]);
    secrets = await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
  });

  after(async () => {
    assert.equal(await backend.stop(), 0, "SIGTERM ends keybridge dev with status 0");
  });

  it("prints the addresses, the root token and the default request pair", () => {
    const { vault, oidc } = backend.info;
    assert.match(vault.addr, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(vault.rootToken, /^hvs\./);
    assert.equal(oidc.issuer, "https://token.actions.githubusercontent.com");
    assert.equal(oidc.discoveryUrl, `${vault.addr}/_oidc/.well-known/openid-configuration`);
    assert.equal(oidc.jwksUrl, `${vault.addr}/_oidc/.well-known/jwks`);
    assert.equal(oidc.requestUrl, `${vault.addr}/_oidc/token?api-version=2.0`);
    assert.ok(oidc.requestToken.length >= 32);
  });

  it("gives the default pair the --job claims", async () => {
    const { requestUrl, requestToken } = backend.info.oidc;
    const { value } = (await (await fetch(requestUrl, { headers: { Authorization: `bearer ${requestToken}` } })).json()) as { value: string };
    const claims = JSON.parse(Buffer.from(value.split(".")[1]!, "base64url").toString());
    assert.equal(claims.repository, "acme/training");
    assert.equal(claims.sub, "repo:acme/training:environment:prod");
  });

  it("runs a job's journey: mint, fetch the OIDC token, log in, read, list, revoke", async () => {
    const addr = backend.info.vault.addr;
    const pair = await backend.mintJob({ repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" });
    const tokenResponse = await fetch(`${pair.requestUrl}&audience=${encodeURIComponent(demoRole.audience)}`, {
      headers: { Authorization: `bearer ${pair.requestToken}` },
    });
    const jwt = ((await tokenResponse.json()) as { value: string }).value;

    const login = await fetch(`${addr}/v1/auth/jwt/login`, { method: "POST", body: JSON.stringify({ role: demoRole.name, jwt }) });
    assert.equal(login.status, 200);
    const token = ((await login.json()) as any).auth.client_token as string;
    const headers = { "X-Vault-Token": token };

    const read = (await (await fetch(`${addr}/v1/secret/data/ml-training/prod/database`, { headers })).json()) as any;
    assert.deepEqual(read.data.data, secrets.database);
    const list = (await (await fetch(`${addr}/v1/secret/metadata/ml-training/prod`, { method: "LIST", headers })).json()) as any;
    assert.deepEqual(list.data.keys, ["api", "database"]);
    const elsewhere = await fetch(`${addr}/v1/secret/data/other-team/prod/db`, { headers });
    assert.equal(elsewhere.status, 403);
    await elsewhere.arrayBuffer();

    assert.equal((await fetch(`${addr}/v1/auth/token/revoke-self`, { method: "POST", headers })).status, 204);
    const after = await fetch(`${addr}/v1/auth/token/lookup-self`, { headers });
    assert.equal(after.status, 403);
    await after.arrayBuffer();
  });

  it("logs requests on stderr with --verbose, without tokens", async () => {
    // The line is written when the response is done, which the client may see a moment earlier.
    for (let waited = 0; !/^POST \/v1\/auth\/jwt\/login 200/m.test(backend.stderr()) && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(backend.stderr(), /^POST \/v1\/auth\/jwt\/login 200 \d+ms$/m);
    assert.ok(!backend.stderr().includes(backend.info.vault.rootToken));
  });
});

describe("keybridge dev without --json", () => {
  it("prints the address, the root token and export lines, and exits 0 on SIGINT", async () => {
    const child = spawn(process.execPath, ["--import", tsx, cli, "dev", "--root-token", "hvs.fixed-for-test"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready block; stdout: ${stdout}`)), 15_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("Stop with Ctrl-C")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`${code} ${signal}`)));
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.kill("SIGINT");
    assert.equal(await exited, "0 null", stderr);
    assert.match(stdout, /export VAULT_ADDR=http:\/\/127\.0\.0\.1:\d+ VAULT_TOKEN=hvs\.fixed-for-test ACTIONS_ID_TOKEN_REQUEST_URL='http:\/\/127\.0\.0\.1:\d+\/_oidc\/token\?api-version=2\.0' ACTIONS_ID_TOKEN_REQUEST_TOKEN=\S+/);
  });
});

describe("keybridge usage errors", () => {
  const cases: [string[], RegExp][] = [
    [["dev", "--port", "http"], /^keybridge dev: KB_USAGE: --port must be an integer from 0 to 65535, got "http"$/],
    [["dev", "--host", "0.0.0.0"], /^keybridge dev: KB_USAGE: --host 0\.0\.0\.0 is not a loopback address; add --allow-remote/],
    [["dev", "--job", "repository=no-owner"], /^keybridge dev: KB_DEV_JOB_CLAIMS: --job: claim "repository" must look like owner\/name, got "no-owner"$/],
    [["dev", "--job", "norepo"], /^keybridge dev: KB_USAGE: --job takes key=value pairs separated by commas, got "norepo"$/],
    [["dev", "--issuer", "token.actions.githubusercontent.com"], /^keybridge dev: KB_USAGE: --issuer must be an http\(s\) URL/],
    [["dev", "--port"], /^keybridge dev: KB_USAGE: --port needs a value/],
    [["dev", "--frobnicate"], /^keybridge dev: KB_USAGE: unknown argument "--frobnicate"/],
    [["synthesize"], /^keybridge: KB_USAGE: unknown command "synthesize"; commands: dev/],
    [["plan", "--bogus"], /^keybridge plan: KB_USAGE: Unknown option '--bogus'; see keybridge plan --help$/],
    [["env", "--secrets"], /^keybridge env: KB_USAGE: Option '--secrets <value>' argument missing; see keybridge env --help$/],
    [["check", "--frobnicate=1"], /^keybridge check: KB_USAGE: Unknown option '--frobnicate'; see keybridge check --help$/],
    [["sync", "--to"], /^keybridge sync: KB_USAGE: Option '--to <value>' argument missing; see keybridge sync --help$/],
    [[], /^keybridge: KB_USAGE: a command is required/],
  ];
  for (const [args, message] of cases) {
    it(`exits 2 with one line for: keybridge ${args.join(" ")}`, () => {
      const result = run(args);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, "");
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, message);
    });
  }

  it("prints help and exits 0", () => {
    const top = run(["--help"]);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /^Usage: keybridge <command>/);
    assert.match(top.stdout, /dev\s+run GitHub's OIDC token service/);
    const dev = run(["dev", "--help"]);
    assert.equal(dev.status, 0);
    assert.match(dev.stdout, /--audit-log FILE/);
  });

  it("says in one line, without a stack trace, when the audit log cannot be opened", () => {
    const result = run(["dev", "--json", "--audit-log", "/nonexistent-dir/audit.log"]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^keybridge dev: KB_SYSTEM: .*audit\.log.*: check the path and its permissions\n$/);
  });
});
