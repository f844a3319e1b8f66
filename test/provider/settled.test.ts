// Synth's fast path (provider/settled.ts, provider/stack-writer.ts) writes the same bytes as cdktf's
// resolver and writer: every app is synthesized twice, once with KEYBRIDGE_SYNTH=framework, and
// every file of the output compared (manifest.json and everything under stacks/).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Aspects, LocalBackend, TerraformDataSource, TerraformResource, TerraformStack, Testing, type IConstruct } from "../../provider/cdk.ts";
import { testingApp } from "./support/testing-app.ts";
import { SettledOutput } from "../../provider/settled-elements.ts";
import { Duration, GitHubOidc, InfisicalBackend, Rotation, SecretsPlatform, SsoGroup, VaultBackend, type IBackendTarget } from "../../provider/index.ts";
import { declareBenchPlatform } from "../../bench/synth/app.ts";
import { declareMlTraining } from "./fixtures.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "keybridge-settled-"));
after(() => rmSync(workDir, { recursive: true, force: true }));

let runs = 0;

/** manifest.json without its annotations' stack traces, whose frames name the synth path's own lines. */
function manifestWithoutTraces(outdir: string): string {
  return readFileSync(join(outdir, "manifest.json"), "utf8").replace(/"stacktrace": \[[^\]]*\]/g, '"stacktrace": []');
}

/** Every file synth wrote under stacks/ (the operator manifests' folder too), by its path there, and manifest.json. */
function stackFiles(outdir: string): Map<string, string> {
  const root = join(outdir, "stacks");
  const files = new Map<string, string>([["manifest.json", manifestWithoutTraces(outdir)]]);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), readFileSync(path, "utf8"));
  }
  return files;
}

function withSynthPath<T>(path: "fast" | "framework", run: () => T): T {
  const before = process.env.KEYBRIDGE_SYNTH;
  if (path === "framework") process.env.KEYBRIDGE_SYNTH = "framework";
  else delete process.env.KEYBRIDGE_SYNTH;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.KEYBRIDGE_SYNTH;
    else process.env.KEYBRIDGE_SYNTH = before;
  }
}

/** Synthesizes the app declared by `declare` in this process, with the path given. */
function synthInProcess(path: "fast" | "framework", declare: (stack: TerraformStack) => void): Map<string, string> {
  const outdir = join(workDir, `run-${++runs}`);
  return withSynthPath(path, () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "secrets");
    new LocalBackend(stack, { path: "terraform.secrets.tfstate" });
    declare(stack);
    app.synth();
    return stackFiles(outdir);
  });
}

/** Runs an example app as its own process, as `keybridge synth` would. */
function synthExample(path: "fast" | "framework", app: string, cdk?: "cdktf" | "cdktn"): Map<string, string> {
  const outdir = join(workDir, `run-${++runs}`);
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
  if (cdk) env.KEYBRIDGE_CDK = cdk;
  if (path === "framework") env.KEYBRIDGE_SYNTH = "framework";
  else delete env.KEYBRIDGE_SYNTH;
  const run = spawnSync(process.execPath, ["--import", "tsx", app], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return stackFiles(outdir);
}

function assertSameBytes(fast: Map<string, string>, framework: Map<string, string>): void {
  assert.deepEqual([...fast.keys()].sort(), [...framework.keys()].sort());
  assert.ok(fast.has("secrets/cdk.tf.json"));
  for (const [name, text] of framework) assert.ok(fast.get(name) === text, `${name} differs between the fast path and cdktf's resolver`);
}

/** A small platform on the backend given: nested secrets, a rotation rule, GitHub and SSO grants. */
function declareOn(stack: TerraformStack, backend: IBackendTarget): SecretsPlatform {
  const platform = new SecretsPlatform(stack, "platform", { backend });
  const serving = platform.addProject("serving", { environments: ["dev", { name: "prod", protected: true }] });
  serving.addSecret("database", { keys: ["password"], rotation: Rotation.every(Duration.days(30)) });
  serving.addSecret("api/keys/stripe", { keys: ["token"] });
  serving.grantRead(GitHubOidc.repository("acme/serving", { ref: "refs/heads/main", environment: "prod" }), { environment: "prod", paths: ["database", "api/*"] });
  serving.grantReadWrite(SsoGroup.named("okta:serving-admins"), { environment: "*" });
  return platform;
}

const infisical = () => InfisicalBackend.project({ url: "https://secrets.acme.internal", organizationId: "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f" });

describe("synth's fast path writes what cdktf's resolver writes", () => {
  it("for a small app on Vault", () => {
    const declare = (stack: TerraformStack) => void declareOn(stack, VaultBackend.kvV2());
    assertSameBytes(synthInProcess("fast", declare), synthInProcess("framework", declare));
  });

  it("for the Vault fixture", () => {
    const declare = (stack: TerraformStack) => void declareMlTraining(stack);
    assertSameBytes(synthInProcess("fast", declare), synthInProcess("framework", declare));
  });

  it("for the same app on Infisical", () => {
    const declare = (stack: TerraformStack) => void declareOn(stack, infisical());
    assertSameBytes(synthInProcess("fast", declare), synthInProcess("framework", declare));
  });

  it("for a generated app of 20 projects (300 grants)", () => {
    const declare = (stack: TerraformStack) => void declareBenchPlatform(stack, 20);
    assertSameBytes(synthInProcess("fast", declare), synthInProcess("framework", declare));
  });

  it("for the example apps, each run as its own process", () => {
    for (const app of ["examples/ml-platform/main.ts", "examples/ml-platform/infisical.ts"]) {
      assertSameBytes(synthExample("fast", app), synthExample("framework", app));
    }
  });

  it("for an example app under cdktn, whose writer formats empty objects differently", () => {
    const app = "examples/ml-platform/main.ts";
    const fast = synthExample("fast", app, "cdktn");
    assertSameBytes(fast, synthExample("framework", app, "cdktn"));
    assert.match(fast.get("secrets/cdk.tf.json")!, /"vault": \[\n {6}\{\}\n/, "cdktn writes the empty provider block as {}");
  });

  it("when an override holds an integer-like key (left to cdktf's writer) and an empty object", () => {
    const declare = (stack: TerraformStack) => {
      declareOn(stack, VaultBackend.kvV2());
      stack.addOverride("locals", { 10: "ten", 9: "nine", empty: {}, none: [] });
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    assert.match(fast.get("secrets/cdk.tf.json")!, /"10": "ten",\n\s+"9": "nine"/);
  });

  it("when a user's aspect adds an override to one of our resources and a stack holds empty blocks", () => {
    const declare = (stack: TerraformStack) => {
      declareOn(stack, VaultBackend.kvV2());
      Aspects.of(stack).add({
        visit(node: IConstruct) {
          if (node instanceof TerraformResource && node.terraformResourceType === "vault_policy") node.addOverride("lifecycle.prevent_destroy", true);
        },
      });
      stack.addOverride("terraform.required_version", ">= 1.5");
      stack.addOverride("locals.empty", {});
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    assert.match(fast.get("secrets/cdk.tf.json")!, /"prevent_destroy": true/);
  });

  it("when an aspect overrides a CI output, replaces its value or adds a grant after the preparing pass", () => {
    const declare = (stack: TerraformStack) => {
      const platform = declareOn(stack, VaultBackend.kvV2());
      const late = platform.addProject("late", { environments: ["dev"] });
      late.addSecret("wandb");
      late.grantRead(GitHubOidc.repository("acme/late"), { environment: "dev", id: "declared" });
      const replaced = platform.addProject("replaced", { environments: ["dev"] });
      replaced.addSecret("wandb");
      replaced.grantRead(GitHubOidc.repository("acme/replaced"), { environment: "dev" });
      Aspects.of(stack).add({
        visit(node: IConstruct) {
          if (node === late) late.grantRead(GitHubOidc.repository("acme/added"), { environment: "dev", id: "added-late" });
          if (!(node instanceof SettledOutput)) return;
          if (node.node.scope?.node.id === "serving") node.addOverride("sensitive", true);
          if (node.node.scope?.node.id === "replaced") node.value = { replaced: true };
        },
      });
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    const tf = fast.get("secrets/cdk.tf.json")!;
    assert.match(tf, /"sensitive": true/);
    assert.match(tf, /"replaced": true/);
    assert.match(tf, /"added-late": \{/);
  });

  it("when a CI output's entry holds a token (a user's audience): it is resolved as cdktf resolves it", () => {
    const declare = (stack: TerraformStack) => {
      const audience = new TerraformResource(stack, "audience", { terraformResourceType: "random_string" }).getStringAttribute("result");
      const training = declareOn(stack, VaultBackend.kvV2()).addProject("training", { environments: ["dev"] });
      training.addSecret("wandb");
      training.grantRead(GitHubOidc.repository("acme/training", { audience }), { environment: "dev" });
    };
    // The policy document holds the token as text, numbered anew by each synth: compare the Terraform.
    const fast = synthInProcess("fast", declare).get("secrets/cdk.tf.json")!;
    assert.equal(fast, synthInProcess("framework", declare).get("secrets/cdk.tf.json"));
    assert.match(fast, /"audience": "\$\{random_string\.audience\.result\}"/);
  });

  it("when a user sets meta-arguments, an import or an override on our resources and data sources", () => {
    const declare = (stack: TerraformStack) => {
      declareOn(stack, VaultBackend.kvV2());
      const ours = stack.node.findAll();
      const resource = (type: string) => ours.find((node): node is TerraformResource => node instanceof TerraformResource && node.terraformResourceType === type)!;
      const policy = resource("vault_policy");
      policy.lifecycle = { preventDestroy: true };
      resource("vault_jwt_auth_backend_role").dependsOn = [policy.fqn];
      resource("vault_identity_group").importFrom("7a1c2e9f-group");
      resource("vault_identity_group_alias").count = 1;
      const sso = ours.find((node): node is TerraformDataSource => node instanceof TerraformDataSource)!;
      sso.addOverride("path", "okta");
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    const tf = JSON.parse(fast.get("secrets/cdk.tf.json")!) as { resource: Record<string, Record<string, Record<string, unknown>>>; data: Record<string, Record<string, Record<string, unknown>>>; import: unknown[] };
    assert.deepEqual(Object.values(tf.resource.vault_policy!).map((body) => body.lifecycle).filter(Boolean), [{ prevent_destroy: true }]);
    assert.match(JSON.stringify(tf.resource.vault_jwt_auth_backend_role), /"depends_on":\["\$\{vault_policy\./);
    assert.equal(tf.import.length, 1);
    assert.deepEqual(Object.values(tf.data.vault_auth_backend!).map((body) => body.path), ["okta"]);
  });

  it("when the stack's own overrides write into our resources and data sources", () => {
    const declare = (stack: TerraformStack) => {
      declareOn(stack, VaultBackend.kvV2());
      const policy = stack.node.findAll().find((node): node is TerraformResource => node instanceof TerraformResource && node.terraformResourceType === "vault_policy")!;
      stack.addOverride(`resource.vault_policy.${policy.friendlyUniqueId}.name`, "renamed");
      stack.addOverride("data.vault_auth_backend.extra.path", "ldap");
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    const tf = JSON.parse(fast.get("secrets/cdk.tf.json")!) as { resource: Record<string, Record<string, { name: string; policy: string }>>; data: Record<string, Record<string, unknown>> };
    const renamed = Object.values(tf.resource.vault_policy!).filter((body) => body.name === "renamed");
    assert.equal(renamed.length, 1);
    assert.match(renamed[0]!.policy, /path/);
    assert.equal(Object.keys(tf.data.vault_auth_backend!).length, 2);
    // Testing.synth() builds the stack's document without the stack writer.
    const testingSynth = (path: "fast" | "framework") => withSynthPath(path, () => {
      const stack = new TerraformStack(testingApp(), "secrets");
      declare(stack);
      return Testing.synth(stack);
    });
    assert.equal(testingSynth("fast"), testingSynth("framework"));
  });

  it("when a value of ours is another stack's attribute (a cross-stack reference, found by the preparing pass)", () => {
    const synthTwoStacks = (path: "fast" | "framework") => {
      const outdir = join(workDir, `run-${++runs}`);
      return withSynthPath(path, () => {
        const app = new App({ outdir });
        const origin = new TerraformStack(app, "origin");
        new LocalBackend(origin, { path: "terraform.origin.tfstate" });
        const mount = new TerraformResource(origin, "users-mount", { terraformResourceType: "vault_mount" });
        const secrets = new TerraformStack(app, "secrets");
        new LocalBackend(secrets, { path: "terraform.secrets.tfstate" });
        declareOn(secrets, VaultBackend.kvV2({ ssoAuthPath: mount.getStringAttribute("path") }));
        app.synth();
        return stackFiles(outdir);
      });
    };
    const fast = synthTwoStacks("fast");
    assertSameBytes(fast, synthTwoStacks("framework"));
    assert.match(fast.get("secrets/cdk.tf.json")!, /"terraform_remote_state"/);
    assert.match(fast.get("origin/cdk.tf.json")!, /"cross-stack-output-vault_mountusers-mountpath"/);
  });

  it("when a user passes another resource's attribute (a token): that value is resolved as cdktf resolves it", () => {
    const declare = (stack: TerraformStack) => {
      const mount = new TerraformResource(stack, "users-mount", { terraformResourceType: "vault_mount" });
      declareOn(stack, VaultBackend.kvV2({ ssoAuthPath: mount.getStringAttribute("path") }));
      const output = new SettledOutput(stack, "mount-path", { value: mount.getStringAttribute("path") });
      output.overrideLogicalId("mount-path");
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    const tf = fast.get("secrets/cdk.tf.json")!;
    assert.match(tf, /"mount-path": \{\n\s+"value": "\$\{vault_mount\.users-mount\.path\}"/);
    const ssoBackend = Object.values(JSON.parse(tf).data.vault_auth_backend as Record<string, { path: string }>);
    assert.deepEqual(ssoBackend.map((backend) => backend.path), ["${vault_mount.users-mount.path}"]);
    assert.doesNotMatch(tf, /TfToken/);
  });

  it("when a user changes what stack.toTerraform() gave: our resources' attributes are not shared with it", () => {
    const declare = (stack: TerraformStack) => {
      declareOn(stack, VaultBackend.kvV2());
      const given = stack.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
      for (const byName of Object.values(given.resource)) {
        for (const body of Object.values(byName)) {
          for (const value of Object.values(body)) {
            if (Array.isArray(value)) value.push("changed");
            else if (typeof value === "object" && value !== null) Object.assign(value, { changed: "yes" });
          }
        }
      }
    };
    const fast = synthInProcess("fast", declare);
    assertSameBytes(fast, synthInProcess("framework", declare));
    assert.doesNotMatch(fast.get("secrets/cdk.tf.json")!, /changed/);
  });
});
