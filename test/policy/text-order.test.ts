// compareText and sortTexts: one order for text, the same on every machine, whatever the list's length.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compareText, sortTexts } from "../../policy/text-order.ts";

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
