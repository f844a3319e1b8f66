// stableStringify() and stableSortedCopy(): keys sorted at every level, whatever order they were
// written in; a value already in order is taken as it is, and no input is changed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { stableSortedCopy, stableStringify } from "../../policy/canonical.ts";

/** Keys sorted at every level, the slow and obvious way. */
function sortedText(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (item === null || typeof item !== "object" || Array.isArray(item) ? item : Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]))), 2)}\n`;
}

describe("stableStringify", () => {
  it("sorts keys at every level, in sorted, unsorted and mixed documents", () => {
    const documents = [
      { a: 1, b: { c: [1, { d: 2, e: 3 }] } },
      { b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } },
      { a: { c: 1, b: 2 }, b: [{ z: 1, y: 2 }, { a: 1 }], c: "x" },
      { list: [undefined, 1, [], {}], nested: { empty: {}, value: undefined } },
    ];
    for (const document of documents) assert.equal(stableStringify(document), sortedText(document));
  });

  it("keeps an own \"__proto__\" key a key", () => {
    const document = JSON.parse('{"b": {"__proto__": {"y": 1, "x": 2}}, "a": 1}') as unknown;
    assert.equal(stableStringify(document), '{\n  "a": 1,\n  "b": {\n    "__proto__": {\n      "x": 2,\n      "y": 1\n    }\n  }\n}\n');
  });
});

describe("stableSortedCopy", () => {
  it("takes what is in order as it is, and copies only the parts out of order", () => {
    const inOrder = { a: [1, { b: 2, c: 3 }], d: { e: "f" } };
    assert.equal(stableSortedCopy(inOrder), inOrder);
    const shared = { x: 1, y: 2 };
    const mixed = { b: shared, a: [shared, { d: 1, c: 2 }] };
    const before = JSON.stringify(mixed);
    const copy = stableSortedCopy(mixed) as { a: [unknown, Record<string, number>]; b: unknown };
    assert.notEqual(copy, mixed);
    assert.equal(copy.b, shared, "a member in order is not copied");
    assert.equal(copy.a[0], shared);
    assert.deepEqual(Object.keys(copy.a[1]), ["c", "d"]);
    assert.equal(JSON.stringify(mixed), before, "the input is unchanged");
  });

  it("answers undefined for a value holding toJSON()", () => {
    assert.equal(stableSortedCopy({ a: new Date(0) }), undefined);
  });
});
