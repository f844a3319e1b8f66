// The policy document loader over random and damaged documents: it never throws, always answers
// with a document or with problems, and each problem is one line that starts with its JSON path.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { loadPolicyDocument, parsePolicyDocument, type LoadResult } from "../../policy/load.ts";

const example = JSON.parse(readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8")) as unknown;

function wellFormed(result: LoadResult): void {
  if (result.ok) return;
  assert.ok(result.problems.length > 0, "a refusal names at least one problem");
  for (const problem of result.problems) {
    assert.match(problem, /^\$/, "each problem starts with its JSON path");
    assert.doesNotMatch(problem, /[\r\n\u2028\u2029]/, "each problem is one line");
  }
}

/** Every place in a JSON tree, as a path of keys and indexes. */
function places(node: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== "object") return [path];
  const children = Array.isArray(node) ? node.map((child, index) => places(child, [...path, index])) : Object.entries(node).map(([key, child]) => places(child, [...path, key]));
  return [path, ...children.flat()];
}

const allPlaces = places(example).filter((path) => path.length > 0);

function replaceAt(document: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const hostileString = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("a\nb", "x\r\n::error::y", "\u2028", "../../etc", "*", "", "prod"));
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString);

describe("policy document loader properties", () => {
  it("answers any text with a document or one-line problems, never an exception", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value))), (text) => {
      wellFormed(loadPolicyDocument(text));
    }), { numRuns: 1000 });
  });

  it("answers a valid document with one value replaced, removed or made hostile the same way", () => {
    fc.assert(fc.property(fc.constantFrom(...allPlaces), fc.option(anyJson, { nil: undefined }), (path, value) => {
      wellFormed(parsePolicyDocument(replaceAt(example, path, value)));
    }), { numRuns: 2000 });
  });

  it("refuses deeply nested input in one line instead of overflowing the stack", () => {
    const depth = 100_000;
    wellFormed(loadPolicyDocument(`{"version":1,"backend":${"[".repeat(depth)}${"]".repeat(depth)}}`));
    wellFormed(loadPolicyDocument(`${"[".repeat(depth)}${"]".repeat(depth)}`));
  });
});
