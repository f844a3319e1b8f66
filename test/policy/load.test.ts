import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadPolicyDocument, parsePolicyDocument } from "../../policy/load.ts";
import { SharedPrincipals } from "../../policy/load-valid.ts";
import { canonicalize, serializePolicyDocument } from "../../policy/canonical.ts";
import type { PolicyDocument } from "../../policy/document.ts";
import { grant, policy, project, repo } from "./support/documents.ts";

const example = readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8");

function exampleDocument(): PolicyDocument {
  const loaded = loadPolicyDocument(example);
  assert.ok(loaded.ok);
  return structuredClone(loaded.document);
}

describe("policy document", () => {
  it("shares equal principals across documents loaded with one pool, and reads each as it would alone", () => {
    const changed = JSON.parse(example) as PolicyDocument;
    const grant = changed.projects[0]!.grants[0]!;
    grant.principal = grant.principal.kind === "github-oidc" ? { ...grant.principal, audience: "https://other.example" } : { kind: "sso-group", group: "other" };
    const principals = new SharedPrincipals();
    const [base, head] = [loadPolicyDocument(example, principals), loadPolicyDocument(JSON.stringify(changed), principals)];
    assert.ok(base.ok && head.ok);
    assert.deepEqual(base.document, (loadPolicyDocument(example) as { document: PolicyDocument }).document);
    assert.deepEqual(head.document, changed);
    const baseGrants = base.document.projects.flatMap((project) => project.grants);
    const headGrants = head.document.projects.flatMap((project) => project.grants);
    assert.notEqual(headGrants[0]!.principal, baseGrants[0]!.principal, "a changed principal is its own");
    let shared = 0;
    for (let i = 1; i < headGrants.length; i++) {
      const same = baseGrants.find((candidate) => JSON.stringify(candidate.principal) === JSON.stringify(headGrants[i]!.principal));
      if (!same) continue;
      assert.equal(headGrants[i]!.principal, same.principal, `grant ${headGrants[i]!.id} shares the base's principal`);
      shared += 1;
    }
    assert.ok(shared > 0);
  });

  it("shares a principal written in another key order, and reads many principals of one repository each as written", () => {
    // Principals are looked for among those read before with the same repository: more of them
    // than that list keeps must still be read right, and equal ones shared where found.
    const refs = Array.from({ length: 40 }, (_, i) => `refs/heads/r${i}`);
    const grants = refs.map((ref, i) => grant(`g${String(i).padStart(2, "0")}`, { principal: repo("acme/app", { ref: [ref] }) }));
    grants.push(grant("h00", { principal: repo("acme/app", { ref: [refs[0]!] }) }), grant("h39", { principal: repo("acme/app", { ref: [refs[39]!] }) }));
    const text = JSON.stringify(policy(project({ grants })));
    const reordered = text.replace(/\{"kind":"github-oidc","issuer":"github","audience":"([^"]*)","claims":(\{[^}]*\}),"match":"exact"\}/, '{"match":"exact","claims":$2,"audience":"$1","issuer":"github","kind":"github-oidc"}');
    assert.notEqual(reordered, text);
    const principals = new SharedPrincipals();
    const [first, second] = [loadPolicyDocument(text, principals), loadPolicyDocument(reordered, principals)];
    assert.ok(first.ok && second.ok);
    const alone = parsePolicyDocument(JSON.parse(text));
    assert.ok(alone.ok);
    assert.deepEqual(first.document, alone.document);
    const read = first.document.projects[0]!.grants;
    assert.deepEqual(read.map((item) => item.principal), grants.map((item) => item.principal));
    assert.equal(read.find((item) => item.id === "h00")!.principal, read.find((item) => item.id === "g00")!.principal, "an equal principal read before is shared");
    assert.equal(second.document.projects[0]!.grants[0]!.principal, read[0]!.principal, "key order does not keep equal principals apart");
    assert.deepEqual(second.document, first.document);
  });

  it("keeps apart principals that differ only by a claim value, a claim more or less, or the value of a field", () => {
    const main = repo("acme/app", { ref: ["refs/heads/main"] });
    const variants = [
      repo("acme/app", { ref: ["refs/heads/main", "refs/heads/dev"] }),
      repo("acme/app", { ref: ["refs/heads/main"], environment: ["prod"] }),
      repo("acme/app"),
      repo("acme/app", { ref: ["refs/heads/main"] }, { match: "glob" }),
      { ...main, claims: { ...main.claims, repository: ["acme/app", "acme/api"] } },
    ];
    for (const variant of variants) {
      for (const principals of [[main, variant], [variant, main]]) {
        const text = JSON.stringify(policy(project({ grants: principals.map((principal, i) => grant(`g${i}`, { principal })) })));
        const loaded = loadPolicyDocument(text, new SharedPrincipals());
        assert.ok(loaded.ok);
        assert.deepEqual(loaded.document.projects[0]!.grants.map((item) => item.principal), principals, text);
      }
    }
  });

  it("reads a principal's claims from text in name order, each list of values as written, so canonical form keeps its grant", () => {
    const principal = repo("acme/app", { ref: ["refs/heads/main"], environment: ["prod", "dev"] });
    const text = JSON.stringify(policy(project({ grants: [grant("a", { principal }), grant("b", { principal: repo("acme/app", { ref: ["refs/heads/main"] }) })] })));
    const loaded = loadPolicyDocument(text);
    assert.ok(loaded.ok);
    const [first, second] = loaded.document.projects[0]!.grants;
    assert.ok(first!.principal.kind === "github-oidc" && second!.principal.kind === "github-oidc");
    assert.deepEqual(Object.keys(first!.principal.claims), ["environment", "ref", "repository"]);
    assert.deepEqual(first!.principal.claims, principal.claims, "the same claims and values, values in their written order");
    const canonical = canonicalize(loaded.document).projects[0]!.grants;
    assert.equal(canonical[1], second, "a grant whose principal is read in canonical order is kept as it is");
  });

  it("round-trips: load, serialize, load gives the same bytes", () => {
    assert.equal(serializePolicyDocument(exampleDocument()), example);
  });

  it("serializes the same document the same way whatever the declaration order", () => {
    const shuffled = exampleDocument();
    const project = shuffled.projects[0]!;
    project.environments.reverse();
    project.grants.reverse();
    project.secrets.reverse();
    for (const grant of project.grants) grant.capabilities.reverse();
    assert.equal(serializePolicyDocument(shuffled), example);
    assert.deepEqual(canonicalize(shuffled), exampleDocument());
  });

  it("reports every problem at once, each with its JSON path", () => {
    const broken = exampleDocument() as any;
    broken.projects[0].grants[0].environment = "prd";
    broken.projects[0].grants[1].paths = ["databse"];
    broken.projects[0].grants[2].tokenTtlSeconds = 900;
    broken.projects[0].environments.push({ name: "dev", protected: false });
    const result = parsePolicyDocument(broken);
    assert.ok(!result.ok);
    assert.deepEqual([...result.problems].sort(), [
      '$.projects[0].environments: the environment "dev" is declared twice',
      '$.projects[0].grants[0].environment: "prd" is not an environment of ml-training (dev, prod, staging, dev)',
      '$.projects[0].grants[1].paths[0]: "databse" matches no secret of ml-training',
      "$.projects[0].grants[2].tokenMaxTtlSeconds: 600 is shorter than tokenTtlSeconds 900",
    ].sort());
  });

  it("reports schema problems with their paths", () => {
    const broken = exampleDocument() as any;
    broken.projects[0].name = "ML Training";
    broken.projects[0].grants[0].capabilities = ["admin"];
    delete broken.issuers;
    const result = parsePolicyDocument(broken);
    assert.ok(!result.ok);
    const paths = result.problems.map((problem) => problem.split(":")[0]);
    assert.deepEqual(paths.sort(), ["$.issuers", "$.projects[0].grants[0].capabilities[0]", "$.projects[0].name"]);
  });

  it("fails when the version is newer than this Keybridge reads", () => {
    const result = parsePolicyDocument({ ...exampleDocument(), version: 2 });
    assert.deepEqual(result, { ok: false, problems: ["$.version: 2 is not supported; this Keybridge reads version 1"] });
  });

  it("fails when the text is not JSON", () => {
    const result = loadPolicyDocument("{ nope");
    assert.ok(!result.ok && /^\$: not JSON/.test(result.problems[0]!));
  });
});
