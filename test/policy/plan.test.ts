import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildPlan } from "../../policy/plan.ts";
import { grant, repo, withGrants } from "./support/documents.ts";

describe("buildPlan", () => {
  it("reports every grant of a first document as new when there is no base", () => {
    const plan = buildPlan({ base: null, head: withGrants([grant("a"), grant("b", { environment: "dev" })]) });
    assert.deepEqual(plan.counts.grants, { added: 2, removed: 0, changed: 0 });
    assert.ok(plan.changes.some((change) => change.kind === "issuer.added") && plan.changes.some((change) => change.kind === "project.added"));
    assert.equal(plan.highest, "low");
  });

  it("counts findings per level without the acknowledged ones, and names the highest", () => {
    const anyBranch = repo("acme/app", { ref: ["refs/heads/*"] });
    const head = withGrants([
      grant("a", { principal: anyBranch, acknowledgements: [{ rule: "KB101", reason: "accepted for the release train" }] }),
      grant("b", { environment: "dev", tokenTtlSeconds: 7200, tokenMaxTtlSeconds: 7200 }),
    ]);
    const plan = buildPlan({ base: withGrants([grant("a"), grant("b", { environment: "dev" })]), head });
    assert.deepEqual(plan.counts.findings, { critical: 0, high: 2, medium: 0, low: 0, info: 0 });
    assert.equal(plan.counts.acknowledged, 1);
    assert.equal(plan.highest, "high");
    assert.deepEqual(plan.counts.grants, { added: 0, removed: 0, changed: 2 });
  });

  it("has no findings and no highest level when nothing changes", () => {
    const plan = buildPlan({ base: withGrants([grant("a")]), head: withGrants([grant("a")]) });
    assert.deepEqual([plan.changes.length, plan.findings.length, plan.highest], [0, 0, undefined]);
  });

  it("gives words that spread, JSON and deep equality see as plain values, the same on every read", () => {
    const head = withGrants([grant("a", { principal: repo("acme/app", { ref: ["refs/heads/*"] }) }), grant("b", { environment: "dev", paths: ["*"] })]);
    const plan = buildPlan({ base: withGrants([grant("a"), grant("c", { environment: "dev" })]), head });
    const words = ["summary", "before", "after"] as const;
    for (const change of plan.changes) {
      const copy = { ...change };
      for (const key of words) {
        assert.ok(Array.isArray(copy[key]), `${change.kind}.${key} is spread as a phrase`);
        assert.equal(change[key], change[key], "a second read gives the same phrase");
        assert.deepEqual(copy[key], change[key]);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(change)).summary, JSON.parse(JSON.stringify(copy.summary)));
    }
    for (const finding of plan.findings) {
      const json = JSON.parse(JSON.stringify(finding)) as Record<string, unknown>;
      for (const key of ["reason", "before", "after"]) assert.ok(Array.isArray(json[key]), `finding ${finding.rule}: ${key} is in its JSON`);
    }
    assert.ok(plan.findings.length > 0 && plan.changes.length > 2);
  });
});
