// What `keybridge dev --terraform` refuses, and how: one line per problem that names the address
// (and attribute) and says what to change, no stack trace, and nothing applied when anything is
// refused (the audit log shows no write). In-process for the catalogue of refusals; as a process
// for the exit status and stderr.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDevBackend } from "../../../dev/server.ts";
import { TerraformError } from "../../../dev/terraform/problems.ts";

const cli = fileURLToPath(new URL("../../../bin/keybridge.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const policy = (name: string, extra: Record<string, unknown> = {}) => ({ name, policy: 'path "secret/data/x" { capabilities = ["read"] }', ...extra });

let dir: string;
let count = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-tf-refuse-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDocument(document: unknown): Promise<string> {
  const file = join(dir, `case-${++count}.tf.json`);
  await writeFile(file, typeof document === "string" ? document : JSON.stringify(document));
  return file;
}

/** Writes (create/update) the backend received: none is allowed when a file is refused. */
async function auditedWrites(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.type === "request" && ["create", "update"].includes(entry.request.operation))
    .map((entry) => entry.request.path as string);
}

/** The lines of the TerraformError that loading `document` in-process rejects with. */
async function refusal(document: unknown, authMounts: { path: string; type: string }[] = []): Promise<{ file: string; lines: readonly string[]; writes: string[] }> {
  const file = await writeDocument(document);
  const auditLogPath = `${file}.audit.log`;
  const error = await startDevBackend({ terraformFile: file, auditLogPath, authMounts }).then(
    async (backend) => {
      await backend.close();
      assert.fail("the file was applied, but a refusal was expected");
    },
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof TerraformError, `expected a TerraformError, got ${String(error)}`);
  for (const line of error.lines) {
    assert.ok(!line.includes("\n"), "each problem is one line");
    assert.ok(line.startsWith(`${file}: `), "each line names the file");
  }
  return { file, lines: error.lines, writes: await auditedWrites(auditLogPath) };
}

function run(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", tsx, cli, "dev", "--json", ...args], { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("refused Terraform files, in-process", () => {
  const cases: [string, unknown, RegExp][] = [
    [
      "a function Terraform has that changes on every run",
      { resource: { vault_policy: { p: policy("p", { policy: "${timestamp()}" }) } } },
      /: vault_policy\.p: policy: timestamp\(\) is not supported: it changes on every run; write the value it computes$/,
    ],
    [
      "count that only an apply could know",
      { resource: { vault_mount: { kv: { path: "kv", type: "kv" } }, vault_policy: { p: policy("p", { count: "${length(vault_mount.kv.accessor)}" }) } } },
      /: vault_policy\.p: count: count depends on vault_mount\.kv\.accessor, which is known only after apply; Terraform needs count known before apply$/,
    ],
    [
      "for_each over numbers",
      { resource: { vault_policy: { p: policy("p", { for_each: "${toset([1, 2])}" }) } } },
      /: vault_policy\.p: for_each: for_each must be a map or a set of strings; this set holds a number$/,
    ],
    [
      "a reference to a resource that is not in the file",
      { resource: { vault_policy: { p: policy("${vault_policy.missing.name}") } } },
      /: vault_policy\.p: name: vault_policy\.missing is not declared in this module; declare the resource or fix the reference$/,
    ],
    [
      "a reference to an attribute the type does not have",
      { resource: { vault_policy: { a: policy("a"), p: policy("${vault_policy.a.nmae}") } } },
      /: vault_policy\.p: name: refers to vault_policy\.a\.nmae, but vault_policy has no attribute "nmae"; use one of: id, name, policy$/,
    ],
    [
      "an undeclared variable",
      { resource: { vault_policy: { p: policy("${var.team}-ci") } } },
      /: vault_policy\.p: name: var\.team is not a declared variable; add a variable block for it or fix the name$/,
    ],
    [
      "a reference to an attribute of another provider's resource that only its apply knows",
      { resource: { github_repository: { app: { name: "app" } }, vault_policy: { p: policy("${github_repository.app.full_name}") } } },
      /: vault_policy\.p: name: refers to github_repository\.app\.full_name, which is unknown to keybridge dev: github_repository belongs to the github provider, which it skips; set the value here instead$/,
    ],
    [
      "a dependency cycle",
      { resource: { vault_policy: { a: policy("${vault_policy.b.name}-a"), b: policy("${vault_policy.a.name}-b") } } },
      /: dependency cycle: vault_policy\.a → vault_policy\.b → vault_policy\.a; remove one of these references or depends_on entries$/,
    ],
    [
      "a cycle through depends_on",
      { resource: { vault_policy: { a: policy("a", { depends_on: ["vault_policy.a"] }) } } },
      /: dependency cycle: vault_policy\.a → vault_policy\.a;/,
    ],
    [
      "a missing required attribute",
      { resource: { vault_jwt_auth_backend_role: { r: { role_name: "r", role_type: "jwt", bound_audiences: ["x"] } } } },
      /: vault_jwt_auth_backend_role\.r: missing required attribute "user_claim"; add it$/,
    ],
    [
      "a mistyped literal",
      { resource: { vault_jwt_auth_backend_role: { r: { role_name: "r", user_claim: "sub", token_ttl: "ten minutes" } } } },
      /: vault_jwt_auth_backend_role\.r: attribute "token_ttl" must be a number; fix its value$/,
    ],
    [
      "an unknown attribute",
      { resource: { vault_policy: { p: policy("p", { colour: "blue" }) } } },
      /: vault_policy\.p: unknown attribute "colour" for vault_policy; remove it/,
    ],
    [
      "a namespace",
      { resource: { vault_policy: { p: policy("p", { namespace: "team-a" }) } } },
      /: vault_policy\.p: attribute "namespace" is not supported: .*remove namespace$/,
    ],
    [
      "a provider alias",
      { resource: { vault_policy: { p: policy("p", { provider: "vault.eu" }) } } },
      /: vault_policy\.p: provider "vault\.eu" cannot be honoured/,
    ],
    ["a local that refers to itself", { locals: { team: "${local.team}" }, resource: { vault_policy: { p: policy("${local.team}") } } }, /: dependency cycle: local\.team → local\.team;/],
    ["a variable without a value", { variable: { team: {} } }, /\.tf\.json: var\.team: has no value; pass --var team=VALUE, a tfvars file, or TF_VAR_team$/],
    [
      "a depends_on entry naming nothing",
      { resource: { vault_policy: { p: policy("p", { depends_on: ["vault_mount.gone"] }) } } },
      /: vault_policy\.p: depends_on: names vault_mount\.gone, which is not declared in this module; add it or remove the entry$/,
    ],
    [
      "a batch token type in tune",
      { resource: { vault_jwt_auth_backend: { gh: { path: "gh", oidc_discovery_url: "https://token.actions.githubusercontent.com", tune: [{ token_type: "batch" }] } } } },
      /: vault_jwt_auth_backend\.gh: tune\.token_type "batch" is refused: keybridge dev issues service tokens only; use default-service or remove token_type$/,
    ],
    [
      "a sensitive value in a plain output",
      {
        resource: { vault_kv_secret_v2: { s: { mount: "secret", name: "x", data_json: '{"a":"b"}' } } },
        output: { seed: { value: "${vault_kv_secret_v2.s.data_json}" } },
      },
      /: output "seed": value refers to vault_kv_secret_v2\.s\.data_json, which is sensitive; add "sensitive": true to the output$/,
    ],
    [
      "data_json that is not a JSON object",
      { resource: { vault_kv_secret_v2: { s: { mount: "secret", name: "x", data_json: "[1, 2]" } } } },
      /: vault_kv_secret_v2\.s: attribute "data_json" must be a JSON object encoded as a string/,
    ],
    [
      "a data source for an auth path that is not mounted",
      { data: { vault_auth_backend: { sso: { path: "sso" } } } },
      /: data\.vault_auth_backend\.sso: no auth method is mounted at "sso\/"; start keybridge dev with --auth-mount sso=TYPE \(e\.g\. --auth-mount sso=oidc\)/,
    ],
  ];

  for (const [what, document, expected] of cases) {
    it(`refuses ${what} in one line, applying nothing`, async () => {
      const { lines, writes } = await refusal(document);
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0]!, expected);
      assert.deepEqual(writes, []);
    });
  }

  it("lists unsupported types in one line, even when the rest is fine", async () => {
    const { file, lines, writes } = await refusal({
      resource: {
        vault_policy: { ok: policy("ok") },
        vault_aws_secret_backend: { x: { path: "aws" } },
        vault_transit_secret_backend_key: { y: { backend: "transit", name: "web" } },
      },
    });
    assert.deepEqual(lines, [
      `${file}: cannot apply 2 resources: vault_aws_secret_backend.x (type not supported), vault_transit_secret_backend_key.y (type not supported); remove them or apply them to a real Vault`,
    ]);
    assert.deepEqual(writes, [], "the supported policy was not applied either");
  });

  it("reports every problem of a file, one line each", async () => {
    const { lines } = await refusal({
      resource: {
        vault_policy: { p: policy("p", { for_each: "${toset([1])}" }) },
        vault_jwt_auth_backend_role: { r: { role_name: "r" } },
      },
    });
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /vault_policy\.p: for_each/);
    assert.match(lines[1]!, /vault_jwt_auth_backend_role\.r: missing required attribute "user_claim"/);
  });

  it("says what Vault refused while applying, with the provider default that caused it", async () => {
    const { lines } = await refusal({
      resource: {
        vault_jwt_auth_backend: { gh: { oidc_discovery_url: "https://token.actions.githubusercontent.com" } },
        vault_jwt_auth_backend_role: { r: { backend: "${vault_jwt_auth_backend.gh.path}", role_name: "ci", user_claim: "repository", bound_audiences: ["a"] } },
      },
    });
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /: vault_jwt_auth_backend_role\.r: Vault answered POST auth\/jwt\/role\/ci with 400: 'allowed_redirect_uris' must be set .*\(role_type defaults to "oidc"; CI logins need role_type = "jwt"\)$/,
    );
  });

  it("treats the pre-mounted secret/ as applied only when type and version match", async () => {
    const { lines } = await refusal({ resource: { vault_mount: { v1: { path: "secret", type: "kv", options: { version: "1" } } } } });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /: vault_mount\.v1: Vault answered POST sys\/mounts\/secret with 400: path is already in use at secret\/$/);
  });

  it("refuses a file that is not JSON without quoting it", async () => {
    const { lines } = await refusal('{"resource": {"vault_kv_secret": {"s": {"data_json": "hunter2-secret"}}');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /: not valid JSON; pass Terraform JSON/);
    assert.ok(!lines[0]!.includes("hunter2"));
  });

  it("refuses a file that does not exist", async () => {
    const file = join(dir, "missing.tf.json");
    await assert.rejects(startDevBackend({ terraformFile: file }), (error: unknown) => {
      assert.ok(error instanceof TerraformError);
      assert.deepEqual(error.lines, [`${file}: cannot read the file (ENOENT); check the path and its permissions`]);
      return true;
    });
  });
});

describe("refused Terraform files, as a process", () => {
  it("exits 1 with one stderr line for unsupported types, serves nothing and applies nothing", async () => {
    const file = await writeDocument({
      resource: { vault_policy: { ok: policy("ok") }, vault_aws_secret_backend: { x: { path: "aws" } } },
    });
    const audit = `${file}.audit.log`;
    const result = run(["--terraform", file, "--audit-log", audit]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "", "no JSON line: the backend never became ready");
    assert.equal(
      result.stderr,
      `keybridge dev: KB_DEV_TERRAFORM_INVALID: ${file}: cannot apply 1 resource: vault_aws_secret_backend.x (type not supported); remove it or apply it to a real Vault\n`,
    );
    assert.deepEqual(await auditedWrites(audit), []);
  });

  it("exits 1 with one line per problem and no stack trace", async () => {
    const file = await writeDocument({
      data: { vault_auth_backend: { sso: { path: "sso" } } },
      resource: { vault_policy: { p: policy("${timestamp()}") } },
    });
    const result = run(["--terraform", file]);
    assert.equal(result.status, 1);
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, result.stderr);
    assert.ok(lines.every((line) => line.startsWith(`keybridge dev: KB_DEV_TERRAFORM_INVALID: ${file}: `)));
    assert.match(result.stderr, /--auth-mount sso=TYPE/);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
  });

  it("says in one line when --auth-mount names a type the dev backend cannot enable", () => {
    const result = run(["--auth-mount", "sso=okta"]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "keybridge dev: KB_DEV_TERRAFORM_INVALID: --auth-mount sso=okta: Vault answered POST sys/auth/sso with 400: plugin not found in the catalog: okta; keybridge dev can enable auth types jwt, oidc and approle\n",
    );
  });

  it("refuses malformed --auth-mount, --var without NAME= and --var without --terraform as usage errors (exit 2)", () => {
    const mount = run(["--auth-mount", "oidc"]);
    assert.equal(mount.status, 2);
    assert.equal(mount.stderr, 'keybridge dev: KB_USAGE: --auth-mount takes PATH=TYPE, e.g. oidc=oidc, got "oidc"\n');
    const variable = run(["--terraform", "a.tf.json", "--var", "hunter2-value"]);
    assert.equal(variable.status, 2);
    assert.equal(variable.stderr, 'keybridge dev: KB_USAGE: --var takes NAME=VALUE (the value given has no "="); see keybridge dev --help\n');
    const alone = run(["--var", "team=a"]);
    assert.equal(alone.status, 2);
    assert.equal(alone.stderr, "keybridge dev: KB_USAGE: --var and --var-file set variables of --terraform PATH; add --terraform\n");
  });
});
