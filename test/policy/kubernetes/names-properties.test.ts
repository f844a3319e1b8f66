// The DNS-1123 checks, written as plain code, against apimachinery's reference regexes: random
// names (mostly near the edges: dots, dashes, capitals, lengths 63/64 and 253/254) never crash
// them, and both always agree.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isKubernetesName, kubernetesNameProblem } from "../../../policy/kubernetes/names.ts";
import { isDns1123Label, isDns1123Subdomain } from "../../../testkit/operator-crds.ts";

const nameChars = fc.constantFrom(..."abcz09-.".split(""), "A", "_", "/", " ", "é");
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
const candidates = fc.oneof(
  fc.string({ unit: nameChars, maxLength: 70 }),
  label,
  fc.array(label, { minLength: 1, maxLength: 6 }).map((labels) => labels.join(".")),
  fc.integer({ min: 60, max: 66 }).map((length) => "a".repeat(length)),
  fc.integer({ min: 250, max: 256 }).map((length) => `${"a".repeat(60)}.`.repeat(5).slice(0, length - 1) + "b"),
  fc.anything(),
);

describe("DNS-1123 names", () => {
  it("agree with the reference regexes and never throw", () => {
    fc.assert(fc.property(candidates, (value) => {
      const text = typeof value === "string" ? value : undefined;
      assert.equal(isKubernetesName(value, "label"), text !== undefined && isDns1123Label(text), `label ${JSON.stringify(value)}`);
      assert.equal(isKubernetesName(value, "subdomain"), text !== undefined && isDns1123Subdomain(text), `subdomain ${JSON.stringify(value)}`);
      const problem = kubernetesNameProblem(value, "label");
      assert.equal(problem === undefined, isKubernetesName(value, "label"));
      if (problem) assert.doesNotMatch(problem, /[\r\n]/, "one line");
    }), { numRuns: 2000 });
  });

  it("fails when a label is 64 characters or holds a dot, and a subdomain is 254", () => {
    assert.equal(isKubernetesName("a".repeat(63), "label"), true);
    assert.equal(isKubernetesName("a".repeat(64), "label"), false);
    assert.equal(isKubernetesName("ml.team", "label"), false);
    assert.equal(isKubernetesName("ml.team", "subdomain"), true);
    assert.equal(isKubernetesName("a".repeat(64), "subdomain"), true, "a subdomain's parts have no limit of their own");
    const subdomain = (length: number) => `${"a".repeat(63)}.`.repeat(4).slice(0, length - 1) + "b";
    assert.equal(isKubernetesName(subdomain(253), "subdomain"), true);
    assert.equal(isKubernetesName(subdomain(254), "subdomain"), false);
  });
});
