// The access graph's Infisical glob against the dev backend's, written apart on purpose: random
// patterns and values over the characters that matter (segments, dots, stars, classes, braces,
// negation) must match alike.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { infisicalGlob } from "../../../policy/access/infisical/glob.ts";
import { globMatch } from "../../../dev/infisical/glob.ts";

const patternPiece = fc.constantFrom("a", "b", ".", "/", "*", "**", "?", "{a,b}", "[ab]", "[!a]", "/**", "**/", "repo:", "-");
const valuePiece = fc.constantFrom("a", "b", ".", "/", "ab", "repo:", "-", ".a");

describe("Infisical globs", () => {
  it("match as the dev backend's matcher does, for random patterns and values", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(patternPiece, { maxLength: 7 }), fc.array(valuePiece, { maxLength: 7 }), (negate, pattern, value) => {
        const text = `${negate ? "!" : ""}${pattern.join("")}`;
        const candidate = value.join("");
        assert.equal(infisicalGlob(text, candidate), globMatch(candidate, text), `pattern ${JSON.stringify(text)} value ${JSON.stringify(candidate)}`);
      }),
      { numRuns: 5_000 },
    );
  });
});
