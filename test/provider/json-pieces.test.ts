// writeJsonPieces() hands out JSON.stringify(value, null, 2) in pieces: joined, they are its text,
// whatever the depth walked and however many entries a container holds.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeJsonPieces } from "../../provider/json-pieces.ts";

function joined(value: unknown, walkedDepth: number, finish?: (text: string) => string): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeJsonPieces(value, { write: (piece) => pieces.push(piece), walkedDepth, finish });
  return { text: pieces.join(""), pieces: pieces.length };
}

/** A document shaped like cdk.tf.json: blocks of types of many named bodies. */
function manyBodies(count: number): Record<string, unknown> {
  const bodies: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    bodies[`name_${String(index).padStart(4, "0")}`] = { "//": { metadata: { path: `a/b/${index}` } }, list: ["x", index], flag: index % 2 === 0, nested: { deep: [{ z: 1 }] } };
  }
  return { "//": { metadata: { version: "1" } }, resource: { type_a: bodies, type_b: { only: { a: 1 } } }, terraform: { backend: { local: { path: "x" } } } };
}

describe("writeJsonPieces writes JSON.stringify's text in pieces", () => {
  it("at every walked depth, for containers of more entries than one piece takes", () => {
    const document = manyBodies(600);
    for (const depth of [0, 1, 2, 3, 4, 9]) assert.equal(joined(document, depth).text, JSON.stringify(document, null, 2), `walked depth ${depth}`);
    assert.ok(joined(document, 2).pieces > 3, "the bodies are written in more than one piece");
  });

  it("drops undefined, functions and symbols from objects and writes them as null in lists, at walked depths too", () => {
    const document = { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol("s"), 3], d: { e: undefined }, f: { g: { h: undefined, i: [] } }, j: [[], {}, [undefined]] };
    for (const depth of [0, 1, 2, 3]) assert.equal(joined(document, depth).text, JSON.stringify(document, null, 2), `walked depth ${depth}`);
  });

  it("calls toJSON as JSON.stringify does, and writes scalars and empty containers", () => {
    const document = { date: new Date(0), custom: { toJSON: () => ({ y: [1], x: {} }) }, list: [{ toJSON: () => "text" }] };
    for (const depth of [0, 1, 2]) assert.equal(joined(document, depth).text, JSON.stringify(document, null, 2));
    for (const value of [{}, [], "text", 1, null, true, [1, [2, [3]]]]) assert.equal(joined(value, 2).text, JSON.stringify(value, null, 2));
  });

  it("keeps a \"__proto__\" key a key", () => {
    const document = JSON.parse('{"a": {"__proto__": {"b": 1}, "c": 2}}') as unknown;
    for (const depth of [0, 1, 2]) assert.equal(joined(document, depth).text, JSON.stringify(document, null, 2));
  });

  it("gives finish() each value's text with whole lines at their real indent", () => {
    const document = { a: { b: { c: "MARK", d: ["MARK"] } } };
    const lines: string[] = [];
    const finish = (text: string) => {
      for (const line of text.split("\n")) if (line.includes("MARK")) lines.push(line);
      return text;
    };
    joined(document, 2, finish);
    const expected = JSON.stringify(document, null, 2).split("\n").filter((line) => line.includes("MARK"));
    assert.deepEqual(lines, expected);
  });
});
