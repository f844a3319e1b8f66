import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadPolicyDocument, parsePolicyDocument } from "../../policy/load.ts";
import { canonicalize, serializePolicyDocument } from "../../policy/canonical.ts";
import type { PolicyDocument } from "../../policy/document.ts";

const example = readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8");

function exampleDocument(): PolicyDocument {
  const loaded = loadPolicyDocument(example);
  assert.ok(loaded.ok);
  return structuredClone(loaded.document);
}

describe("policy document", () => {
  it("round-trips: load, serialize, load gives the same bytes", () => {
    assert.equal(serializePolicyDocument(exampleDocument()), example);
  });

  it("serializes the same document the same way whatever the declaration order", () => {
    const shuffled = exampleDocument();
    const project = shuffled.projects[0]!;
    project.environments.reverse();
    project.grants.reverse();
    project.secrets.reverse();
    for (const grant of project.grants) grant.capabilities.reverse();
    assert.equal(serializePolicyDocument(shuffled), example);
    assert.deepEqual(canonicalize(shuffled), exampleDocument());
  });

  it("reports every problem at once, each with its JSON path", () => {
    const broken = exampleDocument() as any;
    broken.projects[0].grants[0].environment = "prd";
    broken.projects[0].grants[1].paths = ["databse"];
    broken.projects[0].grants[2].tokenTtlSeconds = 900;
    broken.projects[0].environments.push({ name: "dev", protected: false });
    const result = parsePolicyDocument(broken);
    assert.ok(!result.ok);
    assert.deepEqual([...result.problems].sort(), [
      '$.projects[0].environments: the environment "dev" is declared twice',
      '$.projects[0].grants[0].environment: "prd" is not an environment of ml-training (dev, prod, staging, dev)',
      '$.projects[0].grants[1].paths[0]: "databse" matches no secret of ml-training',
      "$.projects[0].grants[2].tokenMaxTtlSeconds: 600 is shorter than tokenTtlSeconds 900",
    ].sort());
  });

  it("reports schema problems with their paths", () => {
    const broken = exampleDocument() as any;
    broken.projects[0].name = "ML Training";
    broken.projects[0].grants[0].capabilities = ["admin"];
    delete broken.issuers;
    const result = parsePolicyDocument(broken);
    assert.ok(!result.ok);
    const paths = result.problems.map((problem) => problem.split(":")[0]);
    assert.deepEqual(paths.sort(), ["$.issuers", "$.projects[0].grants[0].capabilities[0]", "$.projects[0].name"]);
  });

  it("fails when the version is newer than this Keybridge reads", () => {
    const result = parsePolicyDocument({ ...exampleDocument(), version: 2 });
    assert.deepEqual(result, { ok: false, problems: ["$.version: 2 is not supported; this Keybridge reads version 1"] });
  });

  it("fails when the text is not JSON", () => {
    const result = loadPolicyDocument("{ nope");
    assert.ok(!result.ok && /^\$: not JSON/.test(result.problems[0]!));
  });
});

describe("canonical keys", () => {
  it("are the same for the same value whatever its key order, and differ otherwise", async () => {
    const { canonicalKey } = await import("../../policy/canonical.ts");
    assert.equal(canonicalKey({ b: [1, { y: 2, x: 1 }], a: "é\n" }), canonicalKey({ a: "é\n", b: [1, { x: 1, y: 2 }] }));
    assert.equal(canonicalKey({ a: 1, b: undefined }), canonicalKey({ a: 1 }));
    assert.notEqual(canonicalKey({ a: [1, 2] }), canonicalKey({ a: [2, 1] }));
    assert.equal(canonicalKey({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
  });
});

describe("stableStringify", () => {
  // What it wrote before it copied values for JSON.stringify: a replacer sorting each object's keys.
  const withReplacer = (value: unknown) => `${JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]));
  }, 2)}\n`;

  it("writes what a sorting replacer writes: undefined, functions, holes, integer-like keys and toJSON included", async () => {
    const { stableStringify } = await import("../../policy/canonical.ts");
    const values: unknown[] = [
      { b: { d: [], c: {} }, a: [3, undefined, () => 1, [, 1]], é: "\u0000\n", _: null },
      { 10: "ten", 9: "nine", a: { 2: "two", 1: "one" }, u: undefined, f: () => 1 },
      { when: new Date(0), nested: { toJSON: () => ({ y: 1, x: 2 }) }, z: 1 },
      [{ b: 1, a: 2 }, "text", 1.5e300, -0, Number.NaN],
      "plain",
      JSON.parse('{"b":1,"__proto__":{"y":1,"x":2},"a":[{"__proto__":null}]}'),
    ];
    for (const value of values) assert.equal(stableStringify(value), withReplacer(value));
  });

  it("writes what a sorting replacer writes for any JSON value", async () => {
    const { stableStringify } = await import("../../policy/canonical.ts");
    const { default: fc } = await import("fast-check");
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "10", "9", "constructor", "toJSON"));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(key, tie("value"), { maxKeys: 4 })),
    })).value;
    fc.assert(fc.property(json, (value) => assert.equal(stableStringify(JSON.parse(JSON.stringify(value))), withReplacer(JSON.parse(JSON.stringify(value))))), { numRuns: 500 });
  });
});
