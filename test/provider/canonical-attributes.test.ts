// canonical(): attributes key-sorted, without undefined members, checked for tokens; attributes
// written in order are their own canonical copy, and only they are taken as they are.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { canonical, canonicalCopy } from "../../provider/canonical-attributes.ts";
import { notPlain } from "../../provider/settled.ts";
import { Lazy } from "../../provider/cdk.ts";

describe("canonical", () => {
  it("takes attributes written in order as they are", () => {
    const attributes = { a: "x", b: [1, "y"], c: { d: true, e: null } };
    const result = canonical(attributes);
    assert.notEqual(result, notPlain);
    if (result === notPlain) return;
    assert.equal(result.value, attributes);
    assert.equal(result.asIs, true);
  });

  it("copies attributes out of order, or holding undefined (dropped, as the framework's resolver drops them)", () => {
    const cases: [object, string][] = [
      [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
      [{ a: { c: 1, b: 2 } }, '{"a":{"b":2,"c":1}}'],
      [{ a: 1, b: undefined }, '{"a":1}'],
      [{ a: [undefined, 1] }, '{"a":[1]}'],
      [{ a: [, 1], b: { c: 1 } }, '{"a":[1],"b":{"c":1}}'],
    ];
    for (const [attributes, expected] of cases) {
      const result = canonical(attributes);
      assert.ok(result !== notPlain && result.value !== attributes && result.asIs);
      assert.equal(JSON.stringify(result.value), expected);
    }
  });

  it("marks what the stack writer must not take as it is: empty objects and lists, integer-like keys", () => {
    for (const attributes of [{ a: [] }, { a: {} }, { a: { 1: "x" } }]) {
      const result = canonical(attributes);
      assert.ok(result !== notPlain && !result.asIs, JSON.stringify(attributes));
    }
  });

  it("canonicalCopy() shares nothing with attributes written in order", () => {
    const attributes = { a: "x", b: [1, "y"], c: { d: true } };
    const result = canonicalCopy(attributes);
    assert.ok(result !== notPlain && result.asIs);
    assert.deepEqual(result.value, attributes);
    assert.notEqual(result.value, attributes);
    assert.notEqual(result.value.b, attributes.b);
    assert.notEqual(result.value.c, attributes.c);
  });

  it("finds a token, in order or not", () => {
    const token = Lazy.stringValue({ produce: () => "x" });
    assert.equal(canonical({ a: token }), notPlain);
    assert.equal(canonical({ b: 1, a: [token] }), notPlain);
  });
});
