// Properties of generated values over random specs: the asked length, only characters of the
// alphabet, and no crash for any sound spec.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { generateValue } from "../../../client/rotation/generate-value.ts";
import { formatAlphabets, generatorLength, generatorProblem, type Generator } from "../../../policy/rotation-generator.ts";

const length = fc.integer({ min: generatorLength.shortest, max: 300 });
const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
const alphabetSpec = fc.record({ alphabet: fc.uniqueArray(printable, { minLength: 2, maxLength: 94 }).map((chars) => chars.join("")), length });
const formatSpec = fc.record({ format: fc.constantFrom("hex", "base64url", "alphanumeric" as const), length: fc.option(length, { nil: undefined }) })
  .map(({ format, length }): Generator => (length === undefined ? { format } : { format, length }));

describe("generated values", () => {
  it("have the asked length and only characters of the alphabet", () => {
    fc.assert(fc.property(alphabetSpec, (spec) => {
      assert.equal(generatorProblem(spec), undefined);
      const value = generateValue(spec);
      assert.equal(value.length, spec.length);
      for (const character of value) assert.ok(spec.alphabet.includes(character));
    }), { numRuns: 200 });
  });

  it("take the format's alphabet and its default length of 32", () => {
    fc.assert(fc.property(formatSpec, (spec) => {
      const value = generateValue(spec);
      assert.ok("format" in spec && spec.format !== "uuid");
      assert.equal(value.length, spec.length ?? 32);
      const alphabet = formatAlphabets[spec.format as keyof typeof formatAlphabets];
      for (const character of value) assert.ok(alphabet.includes(character));
    }), { numRuns: 200 });
  });

  it("make a version 4 uuid", () => {
    assert.match(generateValue({ format: "uuid" }), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("differ from one draw to the next", () => {
    const values = new Set(Array.from({ length: 50 }, () => generateValue({ format: "hex" })));
    assert.equal(values.size, 50);
  });

  it("use every character of a two-character alphabet", () => {
    const value = generateValue({ alphabet: "ab", length: 4096 });
    assert.ok(value.includes("a") && value.includes("b"));
  });
});

describe("generator specs", () => {
  it("fail when the length is out of bounds, the alphabet repeats a character, or both format and alphabet are given", () => {
    assert.match(generatorProblem({ format: "hex", length: 8 })!, /length 8 is out of bounds: give a whole number from 16 to 4096/);
    assert.match(generatorProblem({ alphabet: "aab", length: 20 })!, /lists a character twice/);
    assert.match(generatorProblem({ alphabet: "ab", format: "hex", length: 20 })!, /not both/);
    assert.match(generatorProblem({ format: "uuid", length: 20 })!, /uuid has its fixed length/);
    assert.match(generatorProblem({ alphabet: "a b", length: 20 })!, /printable ASCII/);
  });
});
