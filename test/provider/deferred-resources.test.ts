// The per-grant and per-secret resources are constructs whenever something looks for them
// (provider/deferred-resources.ts): the tree an app walks, the aspects it adds, the children it
// looks up or adds are what they were when every resource was made at once
// (KEYBRIDGE_SYNTH=framework makes them so); and cdk.tf.json is the same either way.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Aspects, Construct, LocalBackend, TerraformResource, TerraformStack, Testing, type IConstruct } from "../../provider/cdk.ts";
import { GitHubOidc, InfisicalBackend, SecretsPlatform, SsoGroup, VaultBackend, type IBackendTarget, type SecretsProject } from "../../provider/index.ts";

const workDir = mkdtempSync(join(tmpdir(), "keybridge-deferred-"));
after(() => rmSync(workDir, { recursive: true, force: true }));
let runs = 0;

interface Declared {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly project: SecretsProject;
  readonly outdir: string;
}

const backends: Readonly<Record<string, () => IBackendTarget>> = {
  vault: () => VaultBackend.kvV2(),
  infisical: () => InfisicalBackend.project({ url: "https://secrets.acme.internal", organizationId: "2b1c9d7e-5f3a-4c61-9d0e-7a4b8c2d1e6f" }),
};

/**
 * A new app in a new output directory, declared by `build` with records kept ("fast") or every
 * resource made at once ("framework": KEYBRIDGE_SYNTH=framework while it declares).
 */
function inNewApp<T>(path: "fast" | "framework", build: (app: App, outdir: string) => T): T {
  const outdir = join(workDir, `run-${++runs}`);
  const before = process.env.KEYBRIDGE_SYNTH;
  if (path === "framework") process.env.KEYBRIDGE_SYNTH = "framework";
  else delete process.env.KEYBRIDGE_SYNTH;
  try {
    return build(new App({ outdir }), outdir);
  } finally {
    if (before === undefined) delete process.env.KEYBRIDGE_SYNTH;
    else process.env.KEYBRIDGE_SYNTH = before;
  }
}

/** A stack with a platform of one project: two secrets, a CI grant and an SSO group grant. */
function declare(path: "fast" | "framework" = "fast", backend: () => IBackendTarget = backends.vault!): Declared {
  return inNewApp(path, (app, outdir) => {
    const stack = new TerraformStack(app, "secrets");
    new LocalBackend(stack, { path: "terraform.secrets.tfstate" });
    const platform = new SecretsPlatform(stack, "platform", { backend: backend() });
    const project = platform.addProject("serving", { environments: ["dev", "prod"] });
    project.addSecret("database", { keys: ["password"] });
    project.addSecret("api/stripe", { keys: ["token"] });
    project.grantRead(GitHubOidc.repository("acme/serving", { ref: "refs/heads/main", environment: "prod" }), { id: "ci", environment: "prod" });
    project.grantReadWrite(SsoGroup.named("okta:serving-admins"), { id: "admins", environment: "*" });
    return { app, stack, project, outdir };
  });
}

function synthesized({ app, outdir }: Declared): string {
  app.synth();
  return readFileSync(join(outdir, "stacks", "secrets", "cdk.tf.json"), "utf8");
}

/** Each construct's path and class, in the order findAll() gives them. */
function tree(stack: TerraformStack): string[] {
  return stack.node.findAll().map((construct) => `${construct.node.path} ${construct.constructor.name}`);
}

function resourcesOfType(stack: TerraformStack, type: string): TerraformResource[] {
  return stack.node.findAll().filter((node): node is TerraformResource => node instanceof TerraformResource && node.terraformResourceType === type);
}

const framework = synthesized(declare("framework"));

describe("the resources a platform declares per grant and per secret", () => {
  it("are in the tree, in the order and with the classes and names they had when all were made at once", () => {
    for (const [name, backend] of Object.entries(backends)) {
      const deferred = declare("fast", backend);
      const made = declare("framework", backend);
      assert.deepEqual(tree(deferred.stack), tree(made.stack), name);
      const ids = (stack: TerraformStack) => stack.node.findAll().filter((node) => node instanceof TerraformResource).map((node) => (node as TerraformResource).friendlyUniqueId);
      assert.deepEqual(ids(deferred.stack), ids(made.stack), name);
      assert.equal(synthesized(deferred), synthesized(made), name);
    }
    assert.equal(resourcesOfType(declare().stack, "vault_policy").length, 2);
  });

  it("are written by app.synth() unlooked at, on Infisical too, the same bytes as when made at once", () => {
    assert.equal(synthesized(declare("fast", backends.infisical)), synthesized(declare("framework", backends.infisical)));
  });

  it("are written by app.synth() unlooked at, byte for byte as their constructs write them, and made by a look after", () => {
    const deferred = declare();
    assert.equal(synthesized(deferred), framework);
    const grant = deferred.project.node.findChild("ci");
    assert.deepEqual(grant.node.children.map((child) => child.node.id), ["policy", "role"]);
    assert.equal(synthesized(deferred), framework, "a second synth, with the constructs made, writes the same");
  });

  it("are found by id, and a child added beside them comes after them", () => {
    const { project } = declare();
    const grant = project.node.findChild("admins");
    const policy = grant.node.tryFindChild("policy");
    assert.ok(policy instanceof TerraformResource);
    assert.equal(policy.terraformResourceType, "vault_policy");
    const secret = project.node.findChild("secret-api--stripe");
    new Construct(secret, "note");
    assert.deepEqual(secret.node.children.map((child) => child.node.id), ["metadata-dev", "metadata-prod", "note"]);
    assert.throws(() => new Construct(project.node.findChild("ci"), "role"), /already a Construct with name 'role'/);
    const made = resourcesOfType(declare("framework").stack, "vault_policy").find((other) => other.node.path === policy.node.path);
    assert.equal(policy.friendlyUniqueId, made?.friendlyUniqueId);
  });

  it("are visited by an aspect added anywhere above them, which changes what synth writes", () => {
    for (const where of ["stack", "project", "grant"] as const) {
      const deferred = declare();
      const scope: IConstruct = where === "stack" ? deferred.stack : where === "project" ? deferred.project : deferred.project.node.findChild("ci");
      const visited: string[] = [];
      Aspects.of(scope).add({
        visit(node: IConstruct) {
          if (node instanceof TerraformResource && node.terraformResourceType === "vault_policy") {
            visited.push(node.node.path);
            node.addOverride("lifecycle.prevent_destroy", true);
          }
        },
      });
      const written = synthesized(deferred);
      assert.deepEqual(visited, where === "grant" ? ["secrets/platform/serving/ci/policy"] : ["secrets/platform/serving/ci/policy", "secrets/platform/serving/admins/policy"], where);
      assert.equal((written.match(/"prevent_destroy": true/g) ?? []).length, visited.length, where);
    }
  });

  it("are found by an aspect added elsewhere in the app that walks the whole tree", () => {
    const deferred = declare();
    const elsewhere = new Construct(deferred.stack, "checks");
    let found: string[] = [];
    Aspects.of(elsewhere).add({
      visit(node: IConstruct) {
        if (node === elsewhere) found = resourcesOfType(deferred.stack, "vault_jwt_auth_backend_role").map((role) => role.node.path);
      },
    });
    assert.equal(synthesized(deferred), framework);
    assert.deepEqual(found, ["secrets/platform/serving/ci/role"]);
  });

  it("take an app's own logical IDs as constructs made at once do: not once another resource refers to them", () => {
    const rename = ({ stack }: Declared) => {
      for (const resource of stack.node.findAll()) if (resource instanceof TerraformResource) resource.overrideLogicalId(`${resource.node.id}_renamed`);
    };
    for (const [name, backend] of Object.entries(backends)) {
      const deferred = declare("fast", backend);
      const made = declare("framework", backend);
      rename(deferred);
      rename(made);
      const written = synthesized(deferred);
      assert.equal(written, synthesized(made), name);
      // Unreferenced ones take the new name; a policy the role refers to keeps its own.
      if (name === "vault") {
        assert.match(written, /"metadata-dev_renamed": \{/);
        assert.doesNotMatch(written, /"policy_renamed"/);
      }
    }
  });

  it("are written when the stack's own overrides write into them, by logical ID", () => {
    const deferred = declare();
    const made = declare("framework");
    for (const { stack } of [deferred, made]) {
      const [policy] = resourcesOfType(declare("framework").stack, "vault_policy");
      stack.addOverride(`resource.vault_policy.${policy!.friendlyUniqueId}.lifecycle.prevent_destroy`, true);
    }
    const written = synthesized(deferred);
    assert.equal(written, synthesized(made));
    assert.match(written, /"prevent_destroy": true/);
  });

  it("are written by a synthesizer the app put in place of the platform's", () => {
    const deferred = declare();
    const platformWriter = deferred.stack.synthesizer;
    deferred.stack.synthesizer = { synthesize: (session) => platformWriter.synthesize(session) };
    assert.equal(synthesized(deferred), framework);
    // One that writes the stack's document itself, without the platform's writer.
    const own = declare();
    let written: { resource: Record<string, object> } | undefined;
    own.stack.synthesizer = { synthesize: () => void (written = own.stack.toTerraform() as typeof written) };
    own.app.synth();
    assert.equal(Object.keys(written!.resource.vault_policy!).length, 2);
  });

  it("are written for each stack of an app with two, the same bytes as when made at once", () => {
    const twoStacks = (path: "fast" | "framework") => inNewApp(path, (app, outdir) => {
      for (const name of ["east", "west"]) {
        const stack = new TerraformStack(app, name);
        const project = new SecretsPlatform(stack, "platform", { backend: VaultBackend.kvV2() }).addProject("serving", { environments: ["dev"] });
        project.addSecret("database", { keys: ["password"] });
        project.grantRead(GitHubOidc.repository(`acme/${name}`, { ref: "refs/heads/main" }), { environment: "dev" });
      }
      app.synth();
      return ["east", "west"].map((name) => readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    });
    const kept = twoStacks("fast");
    assert.deepEqual(kept, twoStacks("framework"));
    for (const written of kept) assert.match(written, /"vault_jwt_auth_backend_role": \{/);
  });

  it("are all made by one findAll() before synth, for a validation that walks the tree during synth", () => {
    const deferred = declare();
    let seen = -1;
    deferred.stack.node.addValidation({ validate: () => ((seen = resourcesOfType(deferred.stack, "vault_policy").length), []) });
    deferred.stack.node.findAll();
    assert.equal(synthesized(deferred), framework);
    assert.equal(seen, 2);
  });

  it("are in Testing.synth() and stack.toTerraform()", () => {
    const { stack } = declare();
    const synth = JSON.parse(Testing.synth(stack)) as { resource: Record<string, object> };
    assert.equal(Object.keys(synth.resource.vault_policy!).length, 2);
    assert.equal(Object.keys(synth.resource.vault_generic_endpoint!).length, 4);
    const document = declare().stack.toTerraform() as { resource: Record<string, object> };
    assert.equal(Object.keys(document.resource.vault_jwt_auth_backend_role!).length, 1);
  });
});

/** What an app does with its platform, in order: declare, look, add beside, rename, add an aspect. */
type Step =
  | { readonly kind: "grant"; readonly project: number; readonly sso: boolean }
  | { readonly kind: "secret"; readonly project: number }
  | { readonly kind: "children" | "find" | "findAll"; readonly project: number; readonly grant: number }
  | { readonly kind: "add" | "rename"; readonly project: number; readonly grant: number }
  | { readonly kind: "aspect" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("grant" as const), project: fc.nat(2), sso: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("secret" as const), project: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("children" as const, "find" as const, "findAll" as const), project: fc.nat(2), grant: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("add" as const, "rename" as const), project: fc.nat(2), grant: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("aspect" as const) }) },
);

/** Runs the steps on a new app; answers what each look saw, the tree after synth and cdk.tf.json. */
function run(steps: readonly Step[], path: "fast" | "framework"): { seen: string[]; tree: string[]; written: string } {
  return inNewApp(path, (app, outdir) => {
    const stack = new TerraformStack(app, "secrets");
    const platform = new SecretsPlatform(stack, "platform", { backend: VaultBackend.kvV2() });
    const projects = ["a", "b", "c"].map((name) => {
      const project = platform.addProject(name, { environments: ["dev", "prod"] });
      project.addSecret("database", { keys: ["password"] });
      return { project, grants: [] as Construct[], secrets: 1 };
    });
    const seen: string[] = [];
    for (const [index, action] of steps.entries()) {
      if (action.kind === "aspect") {
        Aspects.of(stack).add({ visit: () => undefined });
        continue;
      }
      const target = projects[action.project]!;
      if (action.kind === "grant") {
        const principal = action.sso ? SsoGroup.named(`okta:g${index}`) : GitHubOidc.repository(`acme/r${index}`, { ref: "refs/heads/main" });
        target.grants.push(target.project.grantRead(principal, { id: `g${index}`, environment: "*" }));
      } else if (action.kind === "secret") {
        target.project.addSecret(`s${target.secrets++}`, { keys: ["key"] });
      } else {
        const grant = target.grants[action.grant % Math.max(1, target.grants.length)];
        if (!grant) continue;
        if (action.kind === "children") seen.push(grant.node.children.map((child) => child.node.id).join(","));
        else if (action.kind === "find") seen.push(String(grant.node.tryFindChild("policy")?.node.path));
        else if (action.kind === "findAll") seen.push(String(target.project.node.findAll().length));
        else if (action.kind === "add") new Construct(grant, `note-${index}`);
        else for (const child of grant.node.children) if (child instanceof TerraformResource) child.overrideLogicalId(`renamed_${index}_${child.node.id}`);
      }
    }
    app.synth();
    return { seen, tree: tree(stack), written: readFileSync(join(outdir, "stacks", "secrets", "cdk.tf.json"), "utf8") };
  });
}

describe("resources kept as records until looked for, against the same app with all made at once", () => {
  it("looks see, synth writes and the tree holds the same, whatever an app does in whatever order", () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
      const kept = run(steps, "fast");
      const made = run(steps, "framework");
      assert.deepEqual(kept.seen, made.seen);
      assert.equal(kept.written, made.written);
      assert.deepEqual(kept.tree, made.tree);
    }), { numRuns: 60 });
  });
});
