// `startDevBackend({ terraformFile })` on a hand-written *.tf.json, in-process: resources listed
// out of dependency order, a role whose comma-separated bound claim becomes a list (either ref
// logs in), a seeded KV v2 secret, outputs that reference computed and sensitive attributes, and
// an audit log showing that every change went through the Vault API.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startFromTerraform, type TerraformTestBackend, type TestBackend } from "../../support/dev-backend.ts";

const issuer = "https://token.actions.githubusercontent.com";
const audience = "https://github.com/acme";
const seedPassword = "seed-pw-3f9a1c";

// Keys are written in an order that needs sorting: the role before its policy, the secret before its mount.
const document = {
  "//": { metadata: { note: "hand-written" } },
  terraform: { required_providers: { vault: { source: "hashicorp/vault" } } },
  provider: { vault: { address: "https://vault.example.com" } },
  resource: {
    vault_jwt_auth_backend_role: {
      ci: {
        backend: "${vault_jwt_auth_backend.gh.path}",
        role_name: "app-ci",
        role_type: "jwt",
        user_claim: "repository",
        bound_audiences: [audience],
        bound_claims: { ref: "refs/heads/main,refs/heads/release", repository: "acme/app" },
        token_policies: ["${vault_policy.reader.name}"],
        token_ttl: "300",
        lifecycle: { create_before_destroy: true },
      },
    },
    vault_kv_secret_v2: {
      db: {
        mount: "${vault_mount.apps.path}",
        name: "app/db",
        data_json: JSON.stringify({ user: "app", password: seedPassword }),
        custom_metadata: { data: { owner: "team-app" }, max_versions: 5 },
      },
    },
    vault_policy: {
      reader: {
        name: "app-reader",
        policy: 'path "${vault_mount.apps.path}/data/app/*" {\n  capabilities = ["read"]\n}\n# literal: $${not.a.reference}\n',
        depends_on: ["vault_mount.apps"],
      },
    },
    vault_jwt_auth_backend: {
      gh: { path: "github", type: "jwt", oidc_discovery_url: issuer, bound_issuer: issuer },
    },
    vault_mount: { apps: { path: "apps", type: "kv", options: { version: "2" } } },
  },
  output: {
    db_path: { value: "${vault_kv_secret_v2.db.path}" },
    login: { value: { mount: "${vault_jwt_auth_backend.gh.path}", role: "${vault_jwt_auth_backend_role.ci.role_name}" } },
    seed: { value: "${vault_kv_secret_v2.db.data_json}", sensitive: true },
  },
};

let backend: TerraformTestBackend;
let file: string;
let auditPath: string;
let test: TestBackend;

before(async () => {
  backend = await startFromTerraform(document, "app.tf.json");
  ({ test, file, auditPath } = backend);
});

after(() => backend?.close());

describe("startDevBackend with a hand-written Terraform JSON file", () => {
  it("answers the outputs resolved, the sensitive one hidden", () => {
    assert.deepEqual(test.backend.info.outputs, {
      db_path: "apps/data/app/db",
      login: { mount: "github", role: "app-ci" },
      seed: "(sensitive)",
    });
    assert.equal(test.backend.info.terraform?.applied, 5);
  });

  it("mounts KV v2 and seeds the secret with its metadata", async () => {
    const mount = await test.vault("GET", "sys/mounts/apps");
    assert.equal(mount.body.data.type, "kv");
    assert.deepEqual(mount.body.data.options, { version: "2" });
    const read = await test.vault("GET", "apps/data/app/db");
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.data.data, { user: "app", password: seedPassword });
    const metadata = await test.vault("GET", "apps/metadata/app/db");
    assert.deepEqual(metadata.body.data.custom_metadata, { owner: "team-app" });
    assert.equal(metadata.body.data.max_versions, 5);
  });

  it("resolves references inside the policy text and keeps $${ as a literal ${", async () => {
    const policy = (await test.vault("GET", "sys/policies/acl/app-reader")).body.data.policy as string;
    assert.match(policy, /^path "apps\/data\/app\/\*" \{$/m);
    assert.match(policy, /# literal: \$\{not\.a\.reference\}$/m);
  });

  it("splits the comma-separated bound claim into a list, so either ref logs in", async () => {
    const role = (await test.vault("GET", "auth/github/role/app-ci")).body.data;
    assert.deepEqual(role.bound_claims, { ref: ["refs/heads/main", "refs/heads/release"], repository: "acme/app" });
    assert.equal(role.token_ttl, 300);
    for (const ref of ["refs/heads/main", "refs/heads/release"]) {
      const jwt = await test.githubToken({ repository: "acme/app", ref }, audience);
      const login = await test.vault("POST", "auth/github/login", { body: { role: "app-ci", jwt }, headers: { "X-Vault-Token": "" } });
      assert.equal(login.status, 200, `${ref}: ${JSON.stringify(login.body)}`);
      const read = await test.vault("GET", "apps/data/app/db", { token: login.body.auth.client_token });
      assert.equal(read.status, 200);
    }
    const other = await test.githubToken({ repository: "acme/app", ref: "refs/heads/feature" }, audience);
    const refused = await test.vault("POST", "auth/github/login", { body: { role: "app-ci", jwt: other }, headers: { "X-Vault-Token": "" } });
    assert.equal(refused.status, 400);
  });

  it("made every change through the Vault API as root: the audit log has each call, the seed only HMAC-ed", async () => {
    const text = await readFile(auditPath, "utf8");
    assert.ok(!text.includes(seedPassword), "the seed value is never in the audit log in plain text");
    const requests = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.type === "request" && ["create", "update"].includes(entry.request.operation))
      .map((entry) => entry.request.path as string)
      .filter((path) => !path.endsWith("/login"));
    // Dependencies first; among the ready ones, the file's order.
    assert.deepEqual(requests, [
      "sys/auth/github",
      "auth/github/config",
      "sys/mounts/apps",
      "apps/data/app/db",
      "apps/metadata/app/db",
      "sys/policies/acl/app-reader",
      "auth/github/role/app-ci",
    ]);
  });
});

describe("keybridge dev --terraform without --json", () => {
  it("prints what it applied and the outputs, Terraform style", async () => {
    const cli = fileURLToPath(new URL("../../../bin/keybridge.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), cli, "dev", "--terraform", file], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready block; stderr: ${stderr}`)), 15_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("Stop with Ctrl-C")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", () => reject(new Error(`exited early; stderr: ${stderr}`)));
    });
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    assert.ok(stdout.includes(`Applied 5 resources from ${file}.\nOutputs:\n`));
    assert.match(stdout, /^  db_path = "apps\/data\/app\/db"$/m);
    assert.match(stdout, /^  login = \{"mount":"github","role":"app-ci"\}$/m);
    assert.match(stdout, /^  seed = "\(sensitive\)"$/m);
    assert.ok(!stdout.includes(seedPassword));
  });
});
