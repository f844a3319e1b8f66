// Properties of the diff over random documents: nothing changes between a document and itself, and
// the diff from b to a is the diff from a to b with every change turned around.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { diffPolicies, grantAccess, matchGrants, projectScope, type GrantPair } from "../../policy/diff/index.ts";
import { withoutAccess } from "../../policy/diff/access.ts";
import type { Capability, Grant, PolicyDocument } from "../../policy/document.ts";
import { canonicalize, PrincipalTable } from "../../policy/canonical.ts";
import { grant, policy, project, repo, sso } from "./support/documents.ts";

const principal = fc.oneof(
  fc.constantFrom(sso("okta:admins"), sso("okta:auditors")),
  fc.record({
    repository: fc.constantFrom("acme/app", "acme/api", "acme/*"),
    ref: fc.constantFrom(undefined, "refs/heads/main", "refs/heads/*", "refs/tags/v*"),
    environment: fc.constantFrom(undefined, "prod", "staging"),
    events: fc.constantFrom<string[] | undefined>(undefined, ["push"], ["push", "pull_request"]),
    runner: fc.constantFrom(undefined, "self-hosted"),
  }).map(({ repository, ref, environment, events, runner }) => repo(repository, {
    ...(ref ? { ref: [ref] } : {}),
    ...(environment ? { environment: [environment] } : {}),
    ...(events ? { event_name: events } : {}),
    ...(runner ? { runner_environment: [runner] } : {}),
  })),
);

const capabilitySets: Capability[][] = [["read"], ["read", "list"], ["read", "list", "write", "delete"]];

const grants = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom("ci", "deploy", "admins", "audit", "release"),
    principal,
    environment: fc.constantFrom("dev", "staging", "prod", "*"),
    paths: fc.constantFrom<string[]>(["database"], ["stripe"], ["database", "stripe"], ["*"]),
    capabilities: fc.constantFrom(...capabilitySets),
    tokenTtlSeconds: fc.constantFrom(300, 600, 3600),
  }).map((fields): Grant => grant(fields.id, { ...fields, tokenMaxTtlSeconds: fields.tokenTtlSeconds * 2 })),
  { maxLength: 4, selector: (g) => g.id },
);

const documents: fc.Arbitrary<PolicyDocument> = fc.record({
  grants,
  prodProtected: fc.boolean(),
  rotationDays: fc.constantFrom(undefined, 30, 90),
}).map(({ grants, prodProtected, rotationDays }) => {
  const base = project();
  return policy(project({
    environments: base.environments.map((environment) => (environment.name === "prod" ? { ...environment, protected: prodProtected } : environment)),
    secrets: base.secrets.map((secret) => (secret.name === "stripe" ? { ...secret, rotation: rotationDays ? { maxAgeSeconds: rotationDays * 86_400, strategy: "manual" as const } : undefined } : secret)),
    grants,
  }));
});

/** A change seen from the other side. */
const inverse: Record<string, string> = {};
for (const [a, b] of [
  ["added", "removed"], ["granted", "revoked"], ["widened", "narrowed"], ["protected", "unprotected"],
  ["relaxed", "tightened"], ["increased", "decreased"],
]) {
  inverse[a!] = b!;
  inverse[b!] = a!;
}
const turnedAround = (kind: string) => kind.replace(/[a-z]+$/, (verb) => inverse[verb] ?? verb);
// A principal that admits some jobs it did not and drops others is "widened" seen from either side
// (someone new gets in both ways), so only the fact of a principal change must mirror.
const comparable = (kind: string) => kind.replace(/^principal\.(widened|narrowed)$/, "principal.changed");
const kinds = (document: PolicyDocument, other: PolicyDocument) => diffPolicies(document, other).map((change) => change.kind);

describe("diff properties", () => {
  it("finds no change between a document and itself, or its canonical form", () => {
    fc.assert(fc.property(documents, (document) => {
      assert.deepEqual(diffPolicies(document, document), []);
      assert.deepEqual(diffPolicies(document, canonicalize(structuredClone(document))), []);
    }), { numRuns: 300 });
  });

  // The diff skips expanding a matched grant written as before in an unchanged project: this holds it to the expansion.
  it("finds that a grant written as before, in the same scope, gains and loses nothing, whoever holds it and for how long", () => {
    fc.assert(fc.property(documents, principal, (document, other) => {
      const project = document.projects[0]!;
      const scope = projectScope(project);
      for (const before of project.grants) {
        const after: Grant = { ...before, principal: other, tokenTtlSeconds: before.tokenTtlSeconds * 2, tokenMaxTtlSeconds: before.tokenMaxTtlSeconds * 2 };
        assert.deepEqual(withoutAccess(grantAccess(after, scope), scope, before, []), []);
        assert.deepEqual(withoutAccess(grantAccess(before, scope), scope, after, []), []);
      }
    }), { numRuns: 300 });
  });

  // matchGrants keys holders by principal object, reading each object's key text once: equal
  // principals must meet whether they are one object (as diffPolicies shares them) or copies.
  it("pairs the same grants whether equal principals are one object or copies", () => {
    const ids = (pairs: GrantPair[]) => pairs.map((pair) => `${pair.before?.id}>${pair.after?.id}`);
    fc.assert(fc.property(grants, grants, (before, after) => {
      const shared = canonicalize(policy(project({ grants: [...before, ...after.map((grant) => ({ ...grant, id: `${grant.id}-head` }))] })), new PrincipalTable()).projects[0]!.grants;
      const sharedBefore = shared.filter((grant) => !grant.id.endsWith("-head"));
      const sharedAfter = shared.filter((grant) => grant.id.endsWith("-head")).map((grant) => ({ ...grant, id: grant.id.slice(0, -"-head".length) }));
      assert.deepEqual(ids(matchGrants(structuredClone(sharedBefore), structuredClone(sharedAfter))), ids(matchGrants(sharedBefore, sharedAfter)));
    }), { numRuns: 300 });
  });

  it("mirrors: the diff from b to a turns around every change of the diff from a to b", () => {
    fc.assert(fc.property(documents, documents, (a, b) => {
      const forward = kinds(a, b);
      const backward = kinds(b, a);
      assert.deepEqual(backward.map(comparable).sort(), forward.map(turnedAround).map(comparable).sort());
      // A strict narrowing is a widening seen from the other side.
      if (forward.includes("principal.narrowed")) assert.ok(backward.includes("principal.widened"));
    }), { numRuns: 300 });
  });
});
