// sameJson, which lets a plan skip an untouched project, against node's isDeepStrictEqual over
// JSON values: equal for a copy, and agreeing on any two values drawn at random or one changed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { sameJson } from "../../policy/diff/same-json.ts";

// As a document holds them: through JSON text (so no -0, no undefined).
const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe("sameJson", () => {
  it("finds a value equal to its copy", () => {
    fc.assert(fc.property(json, (value) => assert.ok(sameJson(value, structuredClone(value)))), { numRuns: 500 });
  });

  it("agrees with isDeepStrictEqual on two values, and on a value and a slightly changed copy", () => {
    fc.assert(fc.property(json, json, (a, b) => assert.equal(sameJson(a, b), isDeepStrictEqual(a, b))), { numRuns: 500 });
    const changed = json.chain((value) => fc.tuple(fc.constant(value), fc.jsonValue({ maxDepth: 1 }).map((item) => JSON.parse(JSON.stringify(item)) as unknown), fc.nat()).map(([original, replacement, at]) => {
      const copy = structuredClone(original);
      if (copy && typeof copy === "object") {
        const keys = Object.keys(copy);
        if (keys.length > 0) (copy as Record<string, unknown>)[keys[at % keys.length]!] = replacement;
      }
      return [original, copy] as const;
    }));
    fc.assert(fc.property(changed, ([a, b]) => assert.equal(sameJson(a, b), isDeepStrictEqual(a, b))), { numRuns: 500 });
  });
});
