import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parsePolicy, PolicyParseError } from "../../../../dev/vault/core/acl-policy-parse.ts";

const capabilitiesOf = (text: string) => parsePolicy(text).map((rule) => [rule.pattern, [...rule.capabilities].sort()]);

describe("ACL policy parsing", () => {
  it("reads HCL path blocks with all three comment styles", () => {
    const text = `
# team policy
path "secret/data/app/*" {
  capabilities = ["read", "list"] // trailing comment
}
/* multi
   line */
path "secret/metadata/app/*" { capabilities = ["list",] }
`;
    assert.deepEqual(capabilitiesOf(text), [
      ["secret/data/app/*", ["list", "read"]],
      ["secret/metadata/app/*", ["list"]],
    ]);
  });

  it("reads the JSON form", () => {
    const text = JSON.stringify({ path: { "secret/data/x": { capabilities: ["create", "update"] } } });
    assert.deepEqual(capabilitiesOf(text), [["secret/data/x", ["create", "update"]]]);
  });

  it("expands the legacy policy shorthand", () => {
    assert.deepEqual(capabilitiesOf('path "a" { policy = "write" }'), [["a", ["create", "delete", "list", "read", "update"]]]);
    assert.deepEqual(capabilitiesOf('path "a" { policy = "deny" }'), [["a", ["deny"]]]);
  });

  it("keeps escaped characters in patterns", () => {
    assert.deepEqual(capabilitiesOf('path "a\\"b" { capabilities = ["read"] }'), [['a"b', ["read"]]]);
  });

  const fails = (text: string, message: RegExp) => assert.throws(() => parsePolicy(text), (error: unknown) => {
    assert.ok(error instanceof PolicyParseError);
    assert.match(error.message, message);
    return true;
  });

  it("fails when a capability is misspelt, naming the line and the path", () => {
    fails('path "a" {\n  capabilities = ["read"]\n}\npath "b" {\n  capabilities = ["reed"]\n}', /^line 5: path "b": invalid capability "reed"$/);
  });

  it("fails when a block is not closed", () => {
    fails('path "a" {\n  capabilities = ["read"]\n', /^line 2: expected word but found the end of the policy$/);
  });

  it("fails when a string is not terminated", () => {
    fails('path "a {\n', /^line 1: unterminated string$/);
  });

  it("fails when a comment is not terminated", () => {
    fails('path "a" { capabilities = ["read"] }\n/* open', /^line 2: unterminated \/\* comment$/);
  });

  it("fails when the top level has anything but path blocks", () => {
    fails('name = "x"', /^line 1: invalid key "name"$/);
  });

  it("fails when a block has an unknown key", () => {
    fails('path "a" {\n  capabilites = ["read"]\n}', /^line 2: path "a": invalid key "capabilites"$/);
  });

  it("fails when a policy uses parameter constraints this backend cannot enforce", () => {
    fails('path "a" {\n  capabilities = ["update"]\n  allowed_parameters = { "x" = [] }\n}', /line 3: path "a": "allowed_parameters" is not supported/);
  });

  it("fails when the JSON form is malformed", () => {
    fails('{"path": ', /not valid JSON/);
    fails('{"paths": {}}', /invalid key "paths"/);
  });
});
