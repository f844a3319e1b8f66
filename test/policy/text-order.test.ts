// compareText, sortTexts, textsInOrder and sameTexts: one order and one equality for text, the same on every
// machine, whatever the list's length.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { compareText, sameTexts, sortTexts, textsInOrder } from "../../policy/text-order.ts";

describe("sortTexts", () => {
  it("sorts in place as Array#sort does with compareText, short lists and long, duplicates and surrogates included", () => {
    const text = fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: "binary", maxLength: 3 }), fc.constantFrom("a", "B", "é", "\uD83D\uDE00", "\uFFFF"));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), (list) => {
        const expected = [...list].sort(compareText);
        const sorted = sortTexts(list);
        assert.equal(sorted, list, "sorted in place");
        assert.deepEqual(sorted, expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("sameTexts", () => {
  it("agrees with isDeepStrictEqual on lists of text, equal, one changed or drawn at random", () => {
    const texts = fc.array(fc.string({ maxLength: 3 }), { maxLength: 5 });
    const pairs = fc.oneof(
      fc.tuple(texts, texts),
      texts.map((list) => [list, [...list]] as const),
      texts.filter((list) => list.length > 0).chain((list) => fc.nat(list.length - 1).map((at) => [list, list.map((item, i) => (i === at ? `${item}x` : item))] as const)),
    );
    fc.assert(fc.property(pairs, ([a, b]) => assert.equal(sameTexts(a, b), isDeepStrictEqual(a, b))), { numRuns: 500 });
  });
});

describe("textsInOrder", () => {
  it("holds exactly when each item sorts after the one before it: sorted, repeated or drawn at random", () => {
    const texts = fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom("a", "B", "é")), { maxLength: 6 });
    const lists = fc.oneof(texts, texts.map((list) => [...new Set(list)].sort(compareText)), texts.map((list) => [...list].sort(compareText)));
    fc.assert(fc.property(lists, (list) => assert.equal(textsInOrder(list), list.every((item, i) => i === 0 || compareText(list[i - 1]!, item) < 0))), { numRuns: 500 });
  });
});
