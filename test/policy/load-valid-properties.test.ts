// The fast reader of valid documents against its reference, zod's PolicyDocument schema: for any
// input it either gives up or gives exactly zod's output, key order included; and it does not
// give up on the documents synth writes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as z from "zod/mini";
import { stableStringify } from "../../policy/canonical.ts";
import { PolicyDocument } from "../../policy/document.ts";
import { readValidDocument } from "../../policy/load-valid.ts";
import { planDocuments } from "../../bench/plans/documents.ts";

const example = JSON.parse(readFileSync(new URL("../provider/__snapshots__/ml-training.policy.json", import.meta.url), "utf8")) as Record<string, unknown>;

/** A document with every kind of principal, a generated rotation and an acknowledgement. */
function varied(): Record<string, unknown> {
  const document = structuredClone(example) as { projects: { grants: unknown[]; secrets: unknown[] }[] };
  const project = document.projects[0]!;
  project.grants.push(
    { id: "trainer", principal: { kind: "kubernetes", cluster: "gpu-prod", namespace: "ml", serviceAccount: "trainer" }, environment: "*", paths: ["*"], capabilities: ["read", "list"], tokenTtlSeconds: 600, tokenMaxTtlSeconds: 900, acknowledgements: [{ rule: "KB111", reason: "the trainer writes its checkpoints" }] },
    { id: "admins", principal: { kind: "sso-group", group: "okta:ml-admins" }, environment: "*", paths: ["api/*"], capabilities: ["read", "write"], tokenTtlSeconds: 3600, tokenMaxTtlSeconds: 7200, acknowledgements: [] },
  );
  project.secrets.push({ name: "webhook", keys: ["SIGNING_KEY"], rotation: { maxAgeSeconds: 86_400, strategy: "generated", generator: { format: "hex", length: 64 } } });
  return document as unknown as Record<string, unknown>;
}

const bases = [example, varied(), JSON.parse(JSON.stringify(planDocuments(40).head)) as Record<string, unknown>];

/** Every place in a JSON tree, as a path of keys and indexes. */
function places(node: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== "object") return [path];
  const children = Array.isArray(node) ? node.map((child, index) => places(child, [...path, index])) : Object.entries(node).map(([key, child]) => places(child, [...path, key]));
  return [path, ...children.flat()];
}

function replaceAt(document: unknown, path: readonly (string | number)[], value: unknown, key: string | undefined): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (key !== undefined && typeof parent[last] === "object" && parent[last] !== null && !Array.isArray(parent[last])) (parent[last] as Record<string, unknown>)[key] = value;
  else if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** The fast reader's answer must be zod's, byte for byte, whenever it gives one: for any value, and for JSON.parse's. */
function agrees(input: unknown): void {
  agreesAs(input, false);
  const text = JSON.stringify(input);
  if (text !== undefined) agreesAs(JSON.parse(text), true);
}

/** What zod makes of a value: the document, or the problems as the loader words them. */
function zodReading(input: unknown): unknown {
  const parsed = z.safeParse(PolicyDocument, input);
  return parsed.success ? { document: parsed.data } : { problems: parsed.error.issues.map((issue) => [issue.path, issue.message]) };
}

function agreesAs(input: unknown, parsedFromText: boolean): void {
  const untouched = parsedFromText ? structuredClone(input) : undefined;
  const fast = readValidDocument(input, { parsedFromText });
  // Read in place, a give-up may have replaced parts of the value by equal ones: zod still reads it alike.
  if (fast === undefined && parsedFromText) assert.deepStrictEqual(zodReading(input), zodReading(untouched), "a give-up changed what zod reads");
  if (fast === undefined) return;
  const reference = z.safeParse(PolicyDocument, input);
  assert.ok(reference.success, "the fast reader accepted what zod refuses");
  assert.deepStrictEqual(fast, reference.data);
  // Read from text, objects are kept as parsed: their keys in the text's order.
  const serialize = parsedFromText ? stableStringify : JSON.stringify;
  assert.equal(serialize(fast), serialize(reference.data), parsedFromText ? "same keys" : "same keys in the same order");
}

const interesting = fc.constantFrom("", "*", "prod", "api/*", "a/b", "KB101", "a reason of some length", "github-oidc", "sso-group", "kubernetes", "glob", "exact", "read", "write", "__proto__", 0, -1, 1, 1.5, 2 ** 60, true, null, [], {}, ["x"]);
const anyValue = fc.oneof(interesting, fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 12 }));

describe("the fast reader of valid policy documents", () => {
  it("reads the documents synth and the plan benchmark write without giving up, as zod does", () => {
    for (const document of bases) {
      assert.ok(readValidDocument(document), "the fast reader gave up on a valid document");
      assert.ok(readValidDocument(JSON.parse(JSON.stringify(document)), { parsedFromText: true }), "the fast reader gave up on a valid document's text");
      agrees(document);
    }
  });

  it("gives zod's answer or gives up for a document with one value replaced, removed or an extra key", () => {
    const targets = bases.flatMap((document) => places(document).map((path) => ({ document, path })));
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.option(anyValue, { nil: undefined }), fc.option(fc.constantFrom("extra", "__proto__", "rotation", "kind", "claims"), { nil: undefined }), (target, value, key) => {
        agrees(target.path.length === 0 ? value : replaceAt(target.document, target.path, value, key));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives zod's answer or gives up for any JSON", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => agrees(value)), { numRuns: 500 });
  });
});
