import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "../../provider/cdk.ts";
import { policyDocumentFile } from "../../provider/index.ts";
import { loadPolicyDocument } from "../../policy/load.ts";
import { serializePolicyDocument } from "../../policy/canonical.ts";
import { matchSnapshot } from "../support/snapshot.ts";
import { synthScope } from "./support/testing-app.ts";
import { declareMlTraining } from "./fixtures.ts";

function resources(json: string, type: string): Record<string, any>[] {
  return Object.values(JSON.parse(json).resource?.[type] ?? {});
}

describe("synth on the Vault target", () => {
  const json = synthScope((stack) => void declareMlTraining(stack));

  it("matches the snapshot", () => matchSnapshot(new URL("./__snapshots__/vault-ml-training.tf.json", import.meta.url), json));

  it("binds one jwt role per GitHub grant: role_type jwt, audience, claims, TTLs, its own policy", () => {
    const roles = resources(json, "vault_jwt_auth_backend_role");
    assert.equal(roles.length, 2);
    const prod = roles.find((role) => role.role_name === "ml-training-acme-training-prod-read")!;
    assert.equal(prod.role_type, "jwt");
    assert.deepEqual(prod.bound_audiences, ["https://github.com/acme"]);
    assert.deepEqual(prod.bound_claims, { environment: "prod", ref: "refs/heads/main", repository: "acme/training", runner_environment: "self-hosted" });
    assert.equal(prod.bound_claims_type, "string");
    assert.equal(prod.token_ttl, 600);
    const dev = roles.find((role) => role.role_name !== prod.role_name)!;
    assert.equal(dev.bound_claims_type, "glob", "a ref pattern makes the role match by glob");
  });

  it("gives each grant a policy with exactly the granted paths", () => {
    const policies = Object.fromEntries(resources(json, "vault_policy").map((policy) => [policy.name, policy.policy as string]));
    const prod = policies["keybridge-ml-training-acme-training-prod-read"]!;
    const paths = [...prod.matchAll(/path "([^"]+)"/g)].map((match) => match[1]!.replace(/\$\{[^}]+\}/, "MOUNT"));
    assert.deepEqual(paths, ["MOUNT/data/ml-training/prod/database", "MOUNT/metadata/ml-training/prod/database"]);
    assert.match(policies["keybridge-ml-training-okta-ml-platform-admins-all-readwrite"]!, /data\/ml-training\/\+\/\*" \{\n  capabilities = \["create", "read", "update", "patch", "delete"\]/);
  });

  it("keeps rotation rules in each secret's metadata, in every environment, never its values", () => {
    const endpoints = resources(json, "vault_generic_endpoint");
    assert.equal(endpoints.length, 6, "2 secrets × 3 environments");
    const database = endpoints.find((endpoint) => String(endpoint.path).endsWith("/metadata/ml-training/prod/database"))!;
    assert.deepEqual(JSON.parse(database.data_json), { custom_metadata: {
      "keybridge-managed": "true", "keybridge-keys": "password,username", "keybridge-rotation-max-age": "2592000s", "keybridge-rotation-strategy": "manual",
    } });
    assert.equal(database.disable_delete, true, "destroying the resource must never delete the secret's versions");
  });

  it("binds the SSO group through an external identity group", () => {
    const [alias] = resources(json, "vault_identity_group_alias");
    assert.equal(alias!.name, "okta:ml-platform-admins");
    assert.match(alias!.mount_accessor, /data\.vault_auth_backend\..*\.accessor/);
    assert.equal(resources(json, "vault_identity_group")[0]!.type, "external");
  });

  it("tells CI authors the role for each GitHub grant in a Terraform output", () => {
    const output = JSON.parse(json).output["ci_roles_ml-training"];
    assert.deepEqual(Object.keys(output.value).sort(), ["acme-training-dev-read", "acme-training-prod-read"], "one entry per GitHub grant, none for the SSO group");
    const prod = output.value["acme-training-prod-read"];
    assert.match(prod.role, /role_name/);
    assert.equal(prod.environment, "prod");
  });
});

describe("app synth", () => {
  function synthApp(outdir: string): { tf: string; policy: string } {
    const app = new App({ outdir, stackTraces: false });
    declareMlTraining(new TerraformStack(app, "secrets-prod"));
    app.synth();
    const stackDir = join(outdir, "stacks", "secrets-prod");
    return { tf: readFileSync(join(stackDir, "cdk.tf.json"), "utf8"), policy: readFileSync(join(stackDir, policyDocumentFile), "utf8") };
  }

  it("writes keybridge.policy.json beside cdk.tf.json, valid and canonical, the same on every synth", () => {
    const first = mkdtempSync(join(tmpdir(), "kb-synth-"));
    const second = mkdtempSync(join(tmpdir(), "kb-synth-"));
    try {
      const a = synthApp(first);
      const b = synthApp(second);
      assert.equal(a.policy, b.policy);
      const loaded = loadPolicyDocument(a.policy);
      assert.ok(loaded.ok, JSON.stringify(loaded));
      assert.equal(serializePolicyDocument(loaded.document), a.policy, "what synth writes is already canonical");
      matchSnapshot(new URL("./__snapshots__/ml-training.policy.json", import.meta.url), a.policy);
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });
});
