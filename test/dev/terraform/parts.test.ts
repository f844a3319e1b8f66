// The pieces of the Terraform loader on their own: template parsing and reference resolution,
// the apply order, the provider's bound_claims parsing, and policy HCL from vault_policy_document
// (also applied end to end, with vault_auth_backend, kv v1 and the KV v2 mount settings).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExpressionSyntaxError, parseTemplate } from "../../../terraform/expression/parse.ts";
import { findReferences } from "../../../terraform/expression/references.ts";
import { evaluate, type Scope } from "../../../terraform/expression/evaluate.ts";
import { EvaluationError, type Value } from "../../../terraform/expression/values.ts";
import { orderNodes } from "../../../terraform/order.ts";
import { providerBoundClaims } from "../../../dev/terraform/appliers/jwt-auth-backend-role.ts";
import { policyHcl } from "../../../dev/terraform/appliers/data-policy-document.ts";
import { startTestBackend, type TestBackend } from "../../support/dev-backend.ts";

describe("templates and references", () => {
  const refs = (text: string) => findReferences(parseTemplate(text));
  const scope = (states: Record<string, Record<string, Value>>): Scope => ({
    variable: () => undefined,
    local: () => undefined,
    module: () => undefined,
    resource: (kind, type, name) => states[`${kind === "data" ? "data." : ""}${type}.${name}`],
    special: () => undefined,
    callFunction: () => {
      throw new EvaluationError("no functions here");
    },
  });

  it("finds references inside longer strings, with the attribute they read", () => {
    assert.deepEqual(refs('path "${vault_mount.kv.path}/data/*" {}'), [{ kind: "resource", type: "vault_mount", name: "kv", attribute: "path" }]);
    assert.deepEqual(refs("${data.vault_auth_backend.sso.accessor}"), [{ kind: "data", type: "vault_auth_backend", name: "sso", attribute: "accessor" }]);
    assert.deepEqual(refs('${vault_identity_group.g.policies[0]}${vault_mount.kv["path"]}'), [
      { kind: "resource", type: "vault_identity_group", name: "g", attribute: "policies" },
      { kind: "resource", type: "vault_mount", name: "kv" },
    ]);
    assert.deepEqual(refs('${vault_policy.ci["prod"].name}'), [{ kind: "resource", type: "vault_policy", name: "ci", attribute: "name" }]);
    assert.deepEqual(refs("${[for r in var.repos : r.name]}"), [{ kind: "var", name: "repos" }], "r is bound by the for expression");
  });

  it("reads escapes as literals and refuses an unterminated interpolation in one line", () => {
    assert.deepEqual(parseTemplate("a $${b} %%{c}"), { kind: "literal", value: "a ${b} %{c}" });
    assert.throws(() => parseTemplate("${vault_policy.p.name"), (error: unknown) => {
      assert.ok(error instanceof ExpressionSyntaxError);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  it("keeps a whole-string reference's type and embeds primitives in longer strings", () => {
    const states = { "vault_mount.kv": { path: "secret", options: { version: "2" } }, "vault_identity_group.g": { policies: ["a", "b"], id: 7 } };
    assert.deepEqual(evaluate(parseTemplate("${vault_identity_group.g.policies}"), scope(states)), ["a", "b"]);
    assert.equal(evaluate(parseTemplate("${vault_mount.kv.path}/data/${vault_identity_group.g.id}"), scope(states)), "secret/data/7");
    assert.throws(() => evaluate(parseTemplate("x-${vault_identity_group.g.policies}"), scope(states)), /is a list, where a string is needed/);
    assert.throws(() => evaluate(parseTemplate("${vault_mount.kv.description}"), scope(states)), /has no attribute "description"; it has: options, path/);
  });
});

describe("apply order", () => {
  it("puts dependencies first and otherwise keeps the file's order", () => {
    const ordering = orderNodes([
      { address: "role", needs: ["policy", "auth"] },
      { address: "secret", needs: ["mount"] },
      { address: "policy", needs: ["mount"] },
      { address: "auth", needs: [] },
      { address: "mount", needs: [] },
    ]);
    assert.deepEqual(ordering, { order: ["auth", "mount", "secret", "policy", "role"] });
  });

  it("returns a cycle as the addresses around it", () => {
    const ordering = orderNodes([
      { address: "free", needs: [] },
      { address: "a", needs: ["free", "b"] },
      { address: "b", needs: ["c"] },
      { address: "c", needs: ["a"] },
    ]);
    assert.deepEqual(ordering, { cycle: ["a", "b", "c", "a"] });
  });
});

describe("the provider's habits", () => {
  it("splits comma-separated bound claims, trimmed, unless parsing is disabled", () => {
    const claims = { ref: "refs/heads/main, refs/heads/release", repository: "acme/app", dn: "CN=x,OU=y" };
    assert.deepEqual(providerBoundClaims(claims, false), {
      ref: ["refs/heads/main", "refs/heads/release"],
      repository: "acme/app",
      dn: ["CN=x", "OU=y"],
    });
    assert.deepEqual(providerBoundClaims(claims, true), claims);
  });

  it("renders vault_policy_document rules as policy HCL", () => {
    assert.equal(
      policyHcl([
        { path: "secret/data/app/*", capabilities: ["read", "list"], description: "app reads" },
        { path: "auth/token/lookup-self", capabilities: ["read"] },
      ]),
      '# app reads\npath "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n\npath "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n',
    );
  });
});

describe("the other supported types, applied", () => {
  let dir: string;
  let test: TestBackend;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "keybridge-tf-parts-"));
    const file = join(dir, "more.tf.json");
    await writeFile(
      file,
      JSON.stringify({
        data: {
          vault_policy_document: { reader: { rule: [{ path: "${vault_mount.legacy.path}/app", capabilities: ["read"], description: "legacy app" }] } },
        },
        resource: {
          vault_mount: { legacy: { path: "legacy", type: "kv", options: { version: "1" } }, dev: { path: "secret", type: "kv-v2" } },
          vault_kv_secret: { app: { path: "${vault_mount.legacy.path}/app", data_json: '{"token":"t-1","ttl":"1h"}' } },
          vault_kv_secret_backend_v2: { settings: { mount: "${vault_mount.dev.path}", max_versions: 3, cas_required: "false" } },
          vault_policy: { legacy: { name: "legacy-reader", policy: "${data.vault_policy_document.reader.hcl}" } },
          vault_auth_backend: { ci: { type: "jwt", path: "ci-jwt" } },
          vault_identity_group: { internal: { name: "readers", policies: ["${vault_policy.legacy.name}"] } },
        },
        output: {
          accessor: { value: "${vault_auth_backend.ci.accessor}" },
          mount_accessor: { value: "${vault_mount.legacy.accessor}" },
          group: { value: "${vault_identity_group.internal.id}" },
        },
      }),
    );
    test = await startTestBackend({ terraformFile: file });
  });

  after(async () => {
    await test?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies kv v1, KV v2 mount settings, a policy from a policy document, an auth backend and an internal group", async () => {
    assert.deepEqual((await test.vault("GET", "legacy/app")).body.data, { token: "t-1", ttl: "1h" });
    assert.equal((await test.vault("GET", "secret/config")).body.data.max_versions, 3);
    assert.equal(
      (await test.vault("GET", "sys/policies/acl/legacy-reader")).body.data.policy,
      '# legacy app\npath "legacy/app" {\n  capabilities = ["read"]\n}\n',
    );
    const outputs = test.backend.info.outputs as Record<string, string>;
    assert.equal((await test.vault("GET", "sys/auth")).body.data["ci-jwt/"].accessor, outputs.accessor);
    assert.match(outputs.accessor!, /^auth_jwt_[0-9a-f]{8}$/);
    assert.match(outputs.mount_accessor!, /^kv_[0-9a-f]{8}$/);
    const group = (await test.vault("GET", `identity/group/id/${outputs.group}`)).body.data;
    assert.equal(group.name, "readers");
    assert.equal(group.type, "internal");
    assert.deepEqual(group.policies, ["legacy-reader"]);
  });
});
