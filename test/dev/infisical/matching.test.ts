// Infisical's OIDC matching rules as pure functions: exact or picomatch glob (where `*` stops at
// "/", unlike Vault's glob), comma lists, dot-path claims, and the order and statuses of the
// checks (subject 403, audience 401, claims 401).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { expandBraces, globMatch } from "../../../dev/infisical/glob.ts";
import { checkBindings, claimByDotPath, patternMatches, splitList, type OidcBindings } from "../../../dev/infisical/oidc-bindings.ts";
import { globMatch as vaultGlobMatch } from "../../../dev/vault/auth/jwt/bound-claims.ts";

describe("picomatch semantics", () => {
  const cases: [pattern: string, value: string, expected: boolean][] = [
    ["refs/heads/*", "refs/heads/main", true],
    ["refs/heads/*", "refs/heads/feature/x", false],
    ["refs/heads/*", "refs/heads/", false],
    ["refs/heads/**", "refs/heads/feature/x", true],
    ["refs/heads/**", "refs/heads", true],
    ["refs/tags/v*", "refs/tags/v1.2.3", true],
    ["refs/tags/v*", "refs/tags/x1", false],
    ["repo:acme/*:ref:refs/heads/main", "repo:acme/shop:ref:refs/heads/main", true],
    // The token's sub holds slashes: one star cannot span "shop:ref:refs/heads/main".
    ["repo:acme/*", "repo:acme/shop:ref:refs/heads/main", false],
    ["repo:acme/**", "repo:acme/shop:ref:refs/heads/main", true],
    ["/api/**", "/api", true],
    ["/api/**", "/api/v1/keys", true],
    ["/api/**", "/apiary", false],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["**/b", "b", true],
    ["?oo", "foo", true],
    ["?oo", "fo/o", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    ["[!abc]x", "dx", true],
    ["{push,workflow_dispatch}", "workflow_dispatch", true],
    ["{push,workflow_dispatch}", "pull_request", false],
    ["refs/{heads/main,tags/v*}", "refs/tags/v2", true],
    ["!refs/heads/main", "refs/heads/dev", true],
    ["!refs/heads/main", "refs/heads/main", false],
    ["*", ".hidden", false],
    ["a/*", "a/.github", false],
    ["a/.*", "a/.github", true],
    ["literal.dot+plus(paren)", "literal.dot+plus(paren)", true],
    ["literal.dot", "literalXdot", false],
    ["\\*", "*", true],
    ["\\*", "x", false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"} ${JSON.stringify(value)}`, () => {
      assert.equal(globMatch(value, pattern), expected);
    });
  }

  it("differs from Vault's glob, whose * crosses /", () => {
    assert.equal(vaultGlobMatch("repo:acme/*", "repo:acme/shop:ref:refs/heads/main"), true, "Vault (go-glob)");
    assert.equal(globMatch("repo:acme/shop:ref:refs/heads/main", "repo:acme/*"), false, "Infisical (picomatch)");
    assert.equal(vaultGlobMatch("refs/heads/*", "refs/heads/feature/x"), true);
    assert.equal(globMatch("refs/heads/feature/x", "refs/heads/*"), false);
  });

  it("never matches an empty value or pattern", () => {
    assert.equal(globMatch("", "*"), false);
    assert.equal(globMatch("x", ""), false);
  });

  it("expands nested braces and leaves a brace without a comma literal", () => {
    assert.deepEqual(expandBraces("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
    assert.deepEqual(expandBraces("a{b}c"), ["a{b}c"]);
    assert.equal(globMatch("a{b}c", "a{b}c"), true);
  });
});

describe("patterns, lists and claims", () => {
  it("matches exactly before trying a glob", () => {
    // "[x]" as a glob is the class of "x"; exact equality still lets the literal value match.
    assert.equal(patternMatches("[x]", "[x]"), true);
    assert.equal(patternMatches("x", "[x]"), true);
  });

  it("splits comma lists on ',' and trims each entry", () => {
    assert.deepEqual(splitList("push, workflow_dispatch"), ["push", "workflow_dispatch"]);
    assert.deepEqual(splitList(" a ,b,, c "), ["a", "b", "c"]);
    assert.deepEqual(splitList("refs/heads/main"), ["refs/heads/main"]);
  });

  it("reads claims by dot path", () => {
    const claims = { a: { b: { c: "deep" } }, "x.y": "flat", list: ["p", "q"] };
    assert.equal(claimByDotPath(claims, "a.b.c"), "deep");
    assert.equal(claimByDotPath(claims, "a.b.missing"), undefined);
    assert.equal(claimByDotPath(claims, "x.y"), undefined, "a key with a dot cannot be reached, as in Infisical");
    assert.deepEqual(claimByDotPath(claims, "list"), ["p", "q"]);
  });
});

describe("checkBindings", () => {
  const token = {
    sub: "repo:acme/shop:environment:prod",
    aud: "https://github.com/acme",
    repository: "acme/shop",
    ref: "refs/heads/release/1.2",
    run_attempt: 2,
    ref_protected: true,
    nested: { team: { slug: "platform" } },
    groups: ["readers", "deployers"],
  };
  const bindings = (overrides: Partial<OidcBindings>): OidcBindings => ({ boundSubject: "", boundAudiences: [], boundClaims: {}, ...overrides });

  it("accepts a token that satisfies every binding", () => {
    assert.equal(
      checkBindings(bindings({
        boundSubject: "repo:acme/*:environment:prod",
        boundAudiences: ["https://github.com/other", "https://github.com/acme"],
        boundClaims: {
          ref: ["refs/heads/main", "refs/heads/release/*"],
          "nested.team.slug": ["platform"],
          run_attempt: ["2"],
          ref_protected: ["true"],
          groups: ["deploy*"],
        },
      }), token),
      undefined,
    );
  });

  it("refuses a subject mismatch with 403 before looking at audiences or claims", () => {
    const refusal = checkBindings(bindings({ boundSubject: "repo:acme/shop:ref:refs/heads/main", boundAudiences: ["nope"], boundClaims: { ref: ["nope"] } }), token);
    assert.equal(refusal?.status, 403);
    assert.match(refusal!.message, /^Access denied: OIDC subject not allowed\./);
  });

  it("does not split a bound subject on commas", () => {
    assert.equal(checkBindings(bindings({ boundSubject: "repo:acme/shop:environment:prod, other" }), token)?.status, 403);
  });

  it("refuses an audience mismatch with 401, before the claims", () => {
    const refusal = checkBindings(bindings({ boundAudiences: ["https://github.com/other"], boundClaims: { ref: ["nope"] } }), token);
    assert.equal(refusal?.status, 401);
    assert.match(refusal!.message, /^Access denied: OIDC audience not allowed\./);
  });

  it("matches an array audience by any element", () => {
    assert.equal(checkBindings(bindings({ boundAudiences: ["b"] }), { ...token, aud: ["a", "b"] }), undefined);
  });

  it("refuses a claim mismatch and a missing claim with 401, naming the claim but not its value", () => {
    const mismatch = checkBindings(bindings({ boundClaims: { ref: ["refs/heads/*"] } }), token);
    assert.equal(mismatch?.status, 401);
    assert.match(mismatch!.message, /^Access denied: OIDC claim not allowed\. Claim "ref" matches none of refs\/heads\/\*/);
    assert.doesNotMatch(mismatch!.message, /release\/1\.2/);
    const missing = checkBindings(bindings({ boundClaims: { environment: ["prod"] } }), token);
    assert.equal(missing?.status, 401);
    assert.match(missing!.message, /^Access denied: token has no environment field\./);
  });
});
