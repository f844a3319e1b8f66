// kvV2PolicyRules(): one rule per KV v2 API prefix and secret path, sorted by path, with the Vault
// capabilities of the grant's; repeated paths once; the capability lists shared and unchangeable.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { kvV2PolicyRules, renderPolicyHcl } from "../../../policy/access/vault/kv-v2-rules.ts";

describe("kvV2PolicyRules", () => {
  it("writes a rule per prefix and path, sorted by path", () => {
    const rules = kvV2PolicyRules("secret", "ml", { environment: "*", paths: ["wandb", "api/*", "wandb"], capabilities: ["list", "read", "delete"] });
    assert.deepEqual(rules.map(({ path, capabilities }) => [path, [...capabilities]]), [
      ["secret/data/ml/+/api/*", ["read", "delete"]],
      ["secret/data/ml/+/wandb", ["read", "delete"]],
      ["secret/delete/ml/+/api/*", ["update"]],
      ["secret/delete/ml/+/wandb", ["update"]],
      ["secret/destroy/ml/+/api/*", ["update"]],
      ["secret/destroy/ml/+/wandb", ["update"]],
      ["secret/metadata/ml/+/api/*", ["delete", "list"]],
      ["secret/metadata/ml/+/wandb", ["delete", "list"]],
    ]);
    assert.deepEqual(rules.map((rule) => rule.path), rules.map((rule) => rule.path).sort());
  });

  it("gives grants of the same capabilities the same lists, which cannot be changed", () => {
    const first = kvV2PolicyRules("secret", "a", { environment: "dev", paths: ["x"], capabilities: ["read", "write"] });
    const second = kvV2PolicyRules("secret", "b", { environment: "prod", paths: ["y"], capabilities: ["read", "write"] });
    assert.equal(first[0]!.capabilities, second[0]!.capabilities);
    assert.deepEqual(first[0]!.capabilities, ["create", "read", "update", "patch"]);
    assert.throws(() => (first[0]!.capabilities as string[]).push("sudo"), TypeError);
  });

  it("renders the rules as HCL", () => {
    const hcl = renderPolicyHcl("grant ci", kvV2PolicyRules("secret", "ml", { environment: "dev", paths: ["db"], capabilities: ["read", "list"] }));
    assert.equal(hcl, '# grant ci\npath "secret/data/ml/dev/db" {\n  capabilities = ["read"]\n}\npath "secret/metadata/ml/dev/db" {\n  capabilities = ["list"]\n}\n');
  });
});
