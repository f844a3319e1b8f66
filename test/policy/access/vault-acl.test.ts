// The access graph's Vault ACL reading: policy text as Vault accepts it, and which rule applies to
// a path, with the precedence examples of Vault's policy documentation.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseVaultPolicy, PolicyTextError } from "../../../policy/access/vault/policy-text.ts";
import { VaultAcl } from "../../../policy/access/vault/acl.ts";

const acl = (...texts: string[]) => new VaultAcl(texts.map((text, index) => ({ name: `p${index}`, rules: parseVaultPolicy(text) })));
const caps = (decision: { capabilities: ReadonlySet<string> }) => [...decision.capabilities].sort();

describe("Vault policy text", () => {
  it("reads HCL with comments, heredoc-free blocks, the legacy policy field and the JSON form alike", () => {
    const hcl = `
      # CI reads its own secrets
      path "secret/data/ci/*" {
        capabilities = ["read", "list"] // trailing comment
      }
      /* legacy */ path "secret/old" { policy = "write" }
      path "sys/*" { capabilities = ["deny"]
        allowed_parameters = { "ttl" = [] } }`;
    assert.deepEqual(parseVaultPolicy(hcl), [
      { pattern: "secret/data/ci/*", capabilities: ["read", "list"] },
      { pattern: "secret/old", capabilities: ["create", "read", "update", "patch", "delete", "list"] },
      { pattern: "sys/*", capabilities: ["deny"] },
    ]);
    const json = JSON.stringify({ path: { "secret/data/ci/*": { capabilities: ["read"] } } });
    assert.deepEqual(parseVaultPolicy(json), [{ pattern: "secret/data/ci/*", capabilities: ["read"] }]);
  });

  it("fails when a capability is unknown or a block is not closed, naming the line", () => {
    assert.throws(() => parseVaultPolicy('path "a" { capabilities = ["reed"] }'), (error: Error) => error instanceof PolicyTextError && /unknown capability "reed"/.test(error.message));
    assert.throws(() => parseVaultPolicy('path "a" {\n capabilities = ["read"]\n'), /expected '}' on line 3/);
  });
});

describe("Vault ACL precedence", () => {
  it("lets an exact pattern win over every glob, and deny remove everything", () => {
    const rules = acl('path "secret/*" { capabilities = ["read"] }', 'path "secret/super" { capabilities = ["deny"] }');
    assert.deepEqual(caps(rules.decide("secret/super")), []);
    assert.deepEqual(caps(rules.decide("secret/other")), ["read"]);
  });

  it("applies only the most specific matching pattern (documentation examples)", () => {
    const rules = acl(
      'path "secret/*" { capabilities = ["create"] }',
      'path "secret/foo*" { capabilities = ["read"] }',
      'path "secret/+/bar" { capabilities = ["update"] }',
      'path "secret/foo/+" { capabilities = ["delete"] }',
    );
    // The first wildcard later wins: secret/foo/+ (at 11) over secret/foo* (at 10) over secret/+/bar (at 7).
    assert.equal(rules.decide("secret/foo/bar").pattern, "secret/foo/+");
    assert.equal(rules.decide("secret/food").pattern, "secret/foo*");
    assert.equal(rules.decide("secret/x/bar").pattern, "secret/+/bar");
    assert.equal(rules.decide("secret/x/y").pattern, "secret/*");
    assert.equal(rules.decide("other/x").pattern, undefined);
  });

  it("adds up the same pattern across policies", () => {
    const rules = acl('path "kv/a" { capabilities = ["read"] }', 'path "kv/a" { capabilities = ["list"] }');
    assert.deepEqual(caps(rules.decide("kv/a")), ["list", "read"]);
    assert.deepEqual(rules.decide("kv/a").policies, ["p0", "p1"]);
  });

  it("reads `+*` as one `+` segment under a glob, and a `+` inside a segment as a literal", () => {
    const rules = acl('path "kv/+*" { capabilities = ["read"] }', 'path "kv/a+b" { capabilities = ["list"] }');
    assert.deepEqual(caps(rules.decide("kv/x/y/z")), ["read"]);
    assert.equal(rules.decide("kv").pattern, undefined);
    // Both hold a `+`, so both are segment patterns; the later first `+` wins.
    assert.equal(rules.decide("kv/a+b").pattern, "kv/a+b");
  });
});
