import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parsePolicy, type Capability } from "../../../../dev/vault/core/acl-policy-parse.ts";
import { allows, capabilitiesOn, comparePrecedence, patternMatches, type Policy } from "../../../../dev/vault/core/acl.ts";

const policy = (name: string, text: string): Policy => ({ name, rules: parsePolicy(text) });
const caps = (policies: Policy[], path: string) => [...capabilitiesOn(policies, path)].sort();

describe("ACL pattern matching", () => {
  it("matches exact paths exactly", () => {
    assert.equal(patternMatches("secret/data/a", "secret/data/a"), true);
    assert.equal(patternMatches("secret/data/a", "secret/data/a/"), false);
    assert.equal(patternMatches("secret/data/a", "secret/data/ab"), false);
  });

  it("treats * as a prefix glob only at the end, across segments", () => {
    assert.equal(patternMatches("secret/zip-*", "secret/zip-zap/x"), true);
    assert.equal(patternMatches("secret/*", "secret/"), true);
    assert.equal(patternMatches("secret/*", "secret"), false);
    assert.equal(patternMatches("secret/*/x", "secret/a/x"), false, "a * in the middle is a literal character");
    assert.equal(patternMatches("secret/*/x", "secret/*/x"), true);
  });

  it("treats + as exactly one segment", () => {
    assert.equal(patternMatches("secret/+/teamb", "secret/a/teamb"), true);
    assert.equal(patternMatches("secret/+/teamb", "secret/a/b/teamb"), false);
    assert.equal(patternMatches("secret/+/*", "secret/a/b/c"), true);
    assert.equal(patternMatches("secret/a+b", "secret/axb"), false, "+ inside a segment is literal");
  });
});

describe("ACL precedence", () => {
  it("orders patterns as Vault documents", () => {
    assert.ok(comparePrecedence("secret/data/a", "secret/data/*") > 0, "exact beats glob");
    assert.ok(comparePrecedence("secret/data/+", "secret/+/a") > 0, "a later first wildcard wins");
    assert.ok(comparePrecedence("secret/data/+", "secret/data/*") > 0, "not ending in * wins");
    assert.ok(comparePrecedence("secret/+/+/a", "secret/+/b/a") < 0, "more + segments lose");
    assert.ok(comparePrecedence("secret/data/abc*", "secret/data/ab*") > 0, "longer wins");
  });

  it("applies only the highest-precedence matching pattern: exact beats glob", () => {
    const policies = [policy("p", 'path "secret/data/*" { capabilities = ["read", "update"] }\npath "secret/data/app" { capabilities = ["read"] }')];
    assert.deepEqual(caps(policies, "secret/data/app"), ["read"]);
    assert.deepEqual(caps(policies, "secret/data/other"), ["read", "update"]);
  });

  it("applies + patterns to one segment", () => {
    const policies = [policy("p", 'path "secret/data/+/config" { capabilities = ["read"] }')];
    assert.deepEqual(caps(policies, "secret/data/team/config"), ["read"]);
    assert.deepEqual(caps(policies, "secret/data/team/x/config"), []);
  });

  it("makes deny win over everything on the same pattern, sudo included", () => {
    const policies = [
      policy("a", 'path "secret/data/app" { capabilities = ["read", "sudo"] }'),
      policy("b", 'path "secret/data/app" { capabilities = ["deny"] }'),
    ];
    assert.deepEqual(caps(policies, "secret/data/app"), []);
    assert.equal(allows(policies, "secret/data/app", "read", false), false);
  });

  it("unions the same pattern across policies", () => {
    const policies = [
      policy("a", 'path "secret/data/app/*" { capabilities = ["read"] }'),
      policy("b", 'path "secret/data/app/*" { capabilities = ["list"] }'),
    ];
    assert.deepEqual(caps(policies, "secret/data/app/x"), ["list", "read"]);
  });

  it("lets a more specific grant escape a broader deny, as in Vault", () => {
    const policies = [policy("p", 'path "secret/*" { capabilities = ["deny"] }\npath "secret/data/open" { capabilities = ["read"] }')];
    assert.equal(allows(policies, "secret/data/open", "read", false), true);
    assert.equal(allows(policies, "secret/data/closed", "read", false), false);
  });

  it("keeps KV v2 data/ and metadata/ apart: a rule on one grants nothing on the other", () => {
    const policies = [policy("p", 'path "secret/data/app/*" { capabilities = ["read", "list"] }')];
    assert.equal(allows(policies, "secret/data/app/db", "read", false), true);
    assert.equal(allows(policies, "secret/metadata/app/", "list", false), false);
    assert.equal(allows(policies, "secret/app/db", "read", false), false, "a v1-style path grants nothing on v2");
  });

  it("needs sudo on root-protected paths, and root needs nothing", () => {
    const policies = [policy("p", 'path "sys/auth/*" { capabilities = ["update"] }')];
    assert.equal(allows(policies, "sys/auth/jwt", "update", true), false);
    assert.equal(allows([policy("q", 'path "sys/auth/*" { capabilities = ["update", "sudo"] }')], "sys/auth/jwt", "update", true), true);
    assert.equal(allows([{ name: "root", rules: [] }], "anything/at/all", "delete", true), true);
  });
});

describe("a + segment under a trailing glob", () => {
  it("counts the + of \"+*\" as a segment wildcard for precedence, as Vault does", () => {
    const rules = (pattern: string, capabilities: Capability[]) => ({ name: pattern, rules: [{ pattern, capabilities: new Set(capabilities) }] });
    const granted = capabilitiesOn([rules("+/a*", ["read"]), rules("+*", ["read", "list"])], "a/a");
    assert.deepEqual([...granted], ["read"], "the longer pattern wins once both have one + and a glob");
  });
});
