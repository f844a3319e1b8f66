// Vault's read answers are checked by hand (answers.ts) instead of by zod schemas: held here to the
// schemas they replaced, over any JSON and over answers shaped like KV v1, KV v2 and leasing
// engines with one field damaged. Two differences are intended, both about a secret's keys, which
// are the user's: zod refuses a record with an own key "constructor" (it takes it for a class
// instance), and it drops an own "__proto__" key (assigning it sets the copy's prototype instead);
// the readers keep the record as parsed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as z from "zod/mini";
import { kvV2Metadata, vaultReadAnswer } from "../../../client/backends/answers.ts";

const readSchema = z.object({
  data: z.nullable(z.record(z.string(), z.unknown())),
  lease_id: z.optional(z.string()),
  lease_duration: z.optional(z.number()),
  renewable: z.optional(z.boolean()),
});

const metadataSchema = z.object({
  created_time: z.optional(z.string()),
  custom_metadata: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

const holdsQuirkyKey = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (Object.hasOwn(value, "constructor") || Object.hasOwn(value, "__proto__") || Object.values(value).some(holdsQuirkyKey));

/** Same verdict as the schema, and the same fields when both accept (the reader keeps absent ones absent or undefined). */
function agrees(read: (json: unknown) => object | undefined, schema: z.ZodMiniType<object>, json: unknown): void {
  const reference = z.safeParse(schema, json);
  const mine = read(json);
  if (holdsQuirkyKey(json)) return;
  if (!reference.success) {
    assert.equal(mine, undefined, `accepted what the schema refuses: ${JSON.stringify(json)}`);
    return;
  }
  assert.ok(mine, `refused what the schema accepts: ${JSON.stringify(json)}`);
  const defined = (value: object) => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
  assert.deepEqual(defined(mine), defined(reference.data));
}

const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
const key = fc.oneof({ arbitrary: fc.string({ maxLength: 8 }), weight: 8 }, { arbitrary: fc.constantFrom("data", "metadata"), weight: 3 }, { arbitrary: fc.constantFrom("constructor", "__proto__"), weight: 1 });
const record = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const kvV2 = fc.record({ data: record, metadata: fc.record({ created_time: fc.oneof(fc.string(), field), custom_metadata: fc.oneof(record, fc.constant(null), field), version: fc.nat() }) });
const readAnswer = fc.record(
  { data: fc.oneof(record, kvV2, fc.constant(null), field), lease_id: fc.oneof(fc.string(), field), lease_duration: fc.oneof(fc.nat(), field), renewable: fc.oneof(fc.boolean(), field) },
  { requiredKeys: [] },
);
// Through JSON, as the HTTP client hands them over (undefined fields drop out).
const asParsed = (value: unknown) => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown));

describe("Vault's read answers, checked by hand", () => {
  it("agree with the read schema for any JSON and any answer-shaped value", () => {
    fc.assert(fc.property(fc.oneof(readAnswer, fc.jsonValue({ maxDepth: 3 })), (value) => agrees(vaultReadAnswer, readSchema, asParsed(value))), { numRuns: 3000 });
  });

  it("agree with the KV v2 metadata schema", () => {
    fc.assert(fc.property(fc.oneof(kvV2.map((answer) => answer.metadata), fc.jsonValue({ maxDepth: 3 })), (value) => agrees(kvV2Metadata, metadataSchema, asParsed(value))), { numRuns: 3000 });
  });

  it("take a KV v2 answer's data and metadata as Vault writes them", () => {
    const answer = { request_id: "r", lease_id: "", renewable: false, lease_duration: 0, data: { data: { password: "p" }, metadata: { created_time: "2026-12-06T10:00:00Z", custom_metadata: null, version: 3 } } };
    assert.deepEqual(vaultReadAnswer(answer), { data: answer.data, lease_id: "", lease_duration: 0, renewable: false });
    assert.deepEqual(kvV2Metadata(answer.data.metadata), { created_time: "2026-12-06T10:00:00Z", custom_metadata: null });
    assert.equal(vaultReadAnswer({ data: [] }), undefined);
    assert.equal(vaultReadAnswer({ lease_duration: 10 }), undefined, "an answer without data is not a read's");
  });
});
