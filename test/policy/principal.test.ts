import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareClaims, globMatch } from "../../policy/principal/claim-patterns.ts";
import { principalFacets } from "../../policy/principal/facets.ts";
import { repo, sso } from "./support/documents.ts";

describe("claim patterns", () => {
  it("matches globs where * stands for any characters, slashes included", () => {
    assert.ok(globMatch("refs/heads/*", "refs/heads/feature/x"));
    assert.ok(globMatch("repo:acme/*:ref:refs/heads/main", "repo:acme/app:ref:refs/heads/main"));
    assert.ok(!globMatch("refs/heads/release-*", "refs/heads/main"));
    assert.ok(!globMatch("a*b*c", "acb"));
  });

  it("compares constraints: a wider glob, a narrower one, an unrelated one", () => {
    const glob = (...values: string[]) => ({ values, glob: true });
    assert.equal(compareClaims(glob("refs/heads/main"), glob("refs/heads/*")), "wider");
    assert.equal(compareClaims(glob("refs/heads/*"), glob("refs/heads/release-*")), "narrower");
    assert.equal(compareClaims(glob("refs/heads/*"), glob("refs/tags/*")), "different");
    assert.equal(compareClaims(glob("refs/heads/main"), undefined), "wider");
    assert.equal(compareClaims({ values: ["refs/heads/*"], glob: false }, glob("refs/heads/*")), "wider", "exact '*' is a literal");
    assert.equal(compareClaims(glob("a", "b"), glob("b", "a")), "same");
  });
});

describe("principal facets", () => {
  it("treats exact refs and exact environments as bindings, globs as none", () => {
    assert.ok(principalFacets(repo("acme/app", { ref: ["refs/heads/main"] })).bound);
    assert.ok(principalFacets(repo("acme/app", { environment: ["prod"] })).bound);
    assert.ok(!principalFacets(repo("acme/app", { ref: ["refs/heads/release-*"] })).bound);
    assert.ok(!principalFacets(repo("acme/app", { environment: ["prod-*"] })).bound);
    assert.ok(principalFacets(repo(undefined, { sub: ["repo:acme/app:environment:prod"] })).bound);
    assert.ok(!principalFacets(repo(undefined, { sub: ["repo:acme/app:*"] })).bound);
  });

  it("tells how many repositories a principal admits", () => {
    assert.equal(principalFacets(repo("acme/app")).repositoryScope, "repository");
    assert.equal(principalFacets(repo("acme/*")).repositoryScope, "wildcard");
    assert.equal(principalFacets(repo(undefined, { repository_owner: ["acme"] })).repositoryScope, "organization");
    assert.equal(principalFacets(repo(undefined, { sub: ["repo:acme/*"] })).repositoryScope, "wildcard");
    assert.equal(principalFacets(repo(undefined, { ref: ["refs/heads/main"] })).repositoryScope, "any");
  });

  it("knows when pull_request jobs get in", () => {
    assert.ok(principalFacets(repo("acme/app")).admitsPullRequest, "nothing stops them");
    assert.ok(!principalFacets(repo("acme/app", { ref: ["refs/heads/main"], event_name: ["pull_request"] })).admitsPullRequest, "their ref is refs/pull/N/merge");
    assert.ok(principalFacets(repo(undefined, { sub: ["repo:acme/app:pull_request"] })).admitsPullRequest);
    assert.ok(principalFacets(repo("acme/app", { ref: ["refs/heads/main"], event_name: ["pull_request_target"] })).admitsPullRequest);
    assert.ok(!principalFacets(repo("acme/app", { environment: ["prod"] })).admitsPullRequest);
    assert.ok(!principalFacets(sso("okta:admins")).admitsPullRequest);
  });
});
