// stableJson() writes what the framework's own writer writes: json-stable-stringify (cdktf's,
// two-space indent) for the documents below, which hold the shapes where JSON.stringify differs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { stableJson } from "../../provider/stack-writer.ts";

const cdktfRequire = createRequire(createRequire(import.meta.url).resolve("cdktf"));
const stableStringify = cdktfRequire("json-stable-stringify") as (value: unknown, options: { space: number }) => string;
const frameworkWrites = (document: unknown) => stableStringify(document, { space: 2 });

describe("stableJson writes cdk.tf.json as cdktf's writer does", () => {
  it("sorts keys by code unit at every depth", () => {
    const document = { resource: { b: { z: 1, a: [{ y: "x", x: true }] }, a: null }, "//": { metadata: {} }, Z: "é", é: 1, _: 2 };
    assert.equal(stableJson(document), frameworkWrites(document));
  });

  it("writes empty objects and lists over two lines, at their line's indent", () => {
    const document = { provider: { vault: [{}] }, a: {}, b: [], c: [[], [{}], { d: {} }], e: { f: { g: [] } } };
    assert.equal(stableJson(document), frameworkWrites(document));
    assert.equal(stableJson({}), frameworkWrites({}));
    assert.equal(stableJson([]), frameworkWrites([]));
  });

  it("drops undefined and functions from objects, writes them as null in lists, and calls toJSON", () => {
    const document = { a: undefined, b: () => 1, c: [undefined, () => 1, 3], d: { toJSON: () => ({ y: 1, x: {} }) }, e: new Date(0), f: { g: undefined } };
    assert.equal(stableJson(document), frameworkWrites(document));
  });

  it("keeps strings as JSON writes them, a string shaped like the empty marker included", () => {
    const document = { a: "line\nbreak \"quoted\" \u0000 {} []", b: "\u0000keybridge-00000000-0000-0000-0000-000000000000-{}", c: 1e21, d: -0, e: Number.NaN };
    assert.equal(stableJson(document), frameworkWrites(document));
  });

  it("leaves a document with an integer-like key to the framework (JSON.stringify would put it first)", () => {
    assert.equal(stableJson({ locals: { 10: "a", 9: "b" } }), undefined);
    assert.equal(stableJson({ locals: { "01": "a", b: "c" } }), frameworkWrites({ locals: { "01": "a", b: "c" } }));
  });

  it("leaves a cyclic document to the framework, which reports it", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(stableJson(cyclic), undefined);
  });

  it("writes a value given as sorted as it is", () => {
    const body = { a: 1, b: { c: [1, 2] } };
    const document = { resource: { t: { z: body, y: { k: 1 } } } };
    assert.equal(stableJson(document, new Set([body])), frameworkWrites(document));
    // Taken as it is, not sorted again: keys given out of order stay so.
    const unsorted = { b: 1, a: 2 };
    const text = stableJson({ resource: { t: { z: unsorted } } }, new Set([unsorted]))!;
    assert.ok(text.indexOf('"b"') < text.indexOf('"a"'), text);
  });
});
