// The pieces of the Terraform loader on their own: template parsing and reference resolution,
// the apply order, the provider's bound_claims parsing, and policy HCL from vault_policy_document
// (also applied end to end, with vault_auth_backend, kv v1 and the KV v2 mount settings).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTemplate } from "../../../dev/terraform/template.ts";
import { findReferences, resolveValue } from "../../../dev/terraform/references.ts";
import { orderNodes } from "../../../terraform/order.ts";
import { providerBoundClaims } from "../../../dev/terraform/appliers/jwt-auth-backend-role.ts";
import { policyHcl } from "../../../dev/terraform/appliers/data-policy-document.ts";
import { ApplyProblem } from "../../../dev/terraform/problems.ts";
import { startTestBackend, type TestBackend } from "../../support/dev-backend.ts";

describe("templates and references", () => {
  it("finds references inside longer strings, nested lists and objects, with where they sit", () => {
    const { refs, bad } = findReferences({
      policy: 'path "${vault_mount.kv.path}/data/*" {}',
      token_policies: ["${vault_policy.ci.name}"],
      custom: { deep: ["x", "${data.vault_auth_backend.sso.accessor}"] },
      options: "${vault_mount.kv.options.version}",
      first: '${vault_identity_group.g.policies[0]}${vault_mount.kv["path"]}',
    });
    assert.deepEqual(bad, []);
    assert.deepEqual(
      refs.map(({ ref, location }) => [location, ref.address, ref.attribute]),
      [
        ["policy", "vault_mount.kv", ["path"]],
        ["token_policies[0]", "vault_policy.ci", ["name"]],
        ["custom.deep[1]", "data.vault_auth_backend.sso", ["accessor"]],
        ["options", "vault_mount.kv", ["options", "version"]],
        ["first", "vault_identity_group.g", ["policies", 0]],
        ["first", "vault_mount.kv", ["path"]],
      ],
    );
  });

  it("reads escapes as literals and reports what it cannot resolve", () => {
    assert.deepEqual(parseTemplate("a $${b} %%{c}"), [{ kind: "text", text: "a ${b} %{c}" }]);
    const reasons = (text: string) => parseTemplate(text).flatMap((part) => (part.kind === "bad" ? [part.reason] : []));
    assert.match(reasons("${upper(vault_policy.p.name)}")[0]!, /^a function call/);
    assert.match(reasons("${local.team}")[0]!, /^a local value/);
    assert.match(reasons("${count.index}")[0]!, /^count\.index/);
    assert.match(reasons("${each.key}")[0]!, /^each\.\*/);
    assert.match(reasons("${vault_policy.p.*.name}")[0]!, /^a splat/);
    assert.match(reasons("${vault_policy.p}")[0]!, /^a whole resource; name the attribute/);
    assert.match(reasons("${1 + 2}")[0]!, /^not a reference/);
    assert.match(reasons("%{ if true }x%{ endif }")[0]!, /^a template directive/);
    assert.match(reasons("${vault_policy.p.name")[0]!, /^an unterminated interpolation/);
  });

  it("keeps a whole-string reference's type and embeds primitives in longer strings", () => {
    const state: Record<string, Record<string, unknown>> = {
      "vault_mount.kv": { path: "secret", options: { version: "2" } },
      "vault_identity_group.g": { policies: ["a", "b"], id: 7 },
    };
    const lookup = (ref: { address: string; attribute: readonly (string | number)[] }) =>
      ref.attribute.reduce<unknown>((value, step) => (value as any)?.[step], state[ref.address]);
    assert.deepEqual(
      resolveValue({ list: "${vault_identity_group.g.policies}", text: "${vault_mount.kv.path}/data/${vault_identity_group.g.id}" }, lookup),
      { list: ["a", "b"], text: "secret/data/7" },
    );
    assert.throws(() => resolveValue({ text: "x-${vault_identity_group.g.policies}" }, lookup), (error: unknown) => {
      assert.ok(error instanceof ApplyProblem);
      assert.match(error.message, /^text embeds vault_identity_group\.g\.policies, which is a list or map, in a longer string/);
      return true;
    });
    assert.throws(() => resolveValue({ a: "${vault_mount.kv.description}" }, lookup), /^ApplyProblem: a refers to vault_mount\.kv\.description, which has no value/);
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
