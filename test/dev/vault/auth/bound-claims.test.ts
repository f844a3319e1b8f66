import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { boundClaimsMismatch, getClaim, globMatch } from "../../../../dev/vault/auth/jwt/bound-claims.ts";

const claims = {
  repository: "acme/training",
  ref: "refs/heads/main",
  sub: "repo:acme/training:ref:refs/heads/main",
  groups: ["dev", "ops"],
  nested: { team: { name: "ml" }, "a/b": "slash" },
  run_attempt: "1",
  count: 3,
};

describe("bound claims", () => {
  it("matches a string exactly", () => {
    assert.equal(boundClaimsMismatch({ repository: "acme/training" }, "string", claims), undefined);
    assert.equal(
      boundClaimsMismatch({ repository: "acme/other" }, "string", claims),
      'claim "repository" does not match any associated bound claim values',
    );
  });

  it("treats a list of values as any-of and every key as required", () => {
    assert.equal(boundClaimsMismatch({ ref: ["refs/heads/dev", "refs/heads/main"] }, "string", claims), undefined);
    assert.equal(
      boundClaimsMismatch({ ref: ["refs/heads/main"], repository: "acme/x" }, "string", claims),
      'claim "repository" does not match any associated bound claim values',
    );
  });

  it("matches when any value of a list claim is bound", () => {
    assert.equal(boundClaimsMismatch({ groups: "ops" }, "string", claims), undefined);
  });

  it("compares with types: the string \"1\" is not the number 1", () => {
    assert.notEqual(boundClaimsMismatch({ run_attempt: 1 }, "string", claims), undefined);
    assert.equal(boundClaimsMismatch({ count: 3 }, "string", claims), undefined);
  });

  it("lets glob * match any characters, / and : included", () => {
    assert.equal(boundClaimsMismatch({ sub: "repo:acme/*" }, "glob", claims), undefined);
    assert.equal(boundClaimsMismatch({ sub: "repo:acme/*:ref:refs/heads/main" }, "glob", claims), undefined);
    assert.notEqual(boundClaimsMismatch({ sub: "repo:other/*" }, "glob", claims), undefined);
    assert.equal(globMatch("a*b*c", "abc"), true);
    assert.equal(globMatch("a*a", "a"), false);
    assert.equal(globMatch("refs/heads/main", "refs/heads/main"), true);
    assert.equal(globMatch("refs/heads/ma?n", "refs/heads/main"), false, "? is not a wildcard");
  });

  it("keeps glob characters literal for string-type roles", () => {
    assert.notEqual(boundClaimsMismatch({ sub: "repo:acme/*" }, "string", claims), undefined);
  });

  it("follows JSON pointers into nested claims", () => {
    assert.equal(getClaim(claims, "/nested/team/name"), "ml");
    assert.equal(getClaim(claims, "/nested/a~1b"), "slash");
    assert.equal(getClaim(claims, "/groups/1"), "ops");
    assert.equal(boundClaimsMismatch({ "/nested/team/name": "ml" }, "string", claims), undefined);
  });

  it("names a missing claim", () => {
    assert.equal(boundClaimsMismatch({ environment: "prod" }, "string", claims), 'claim "environment" is missing');
    assert.equal(boundClaimsMismatch({ "/nested/none": "x" }, "string", claims), 'claim "/nested/none" is missing');
  });
});
