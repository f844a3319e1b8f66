// The manifest reader: any text, YAML or not, gives operator objects or one KB_MANIFEST_INVALID
// line, never a crash; the spec checks name the field; key order and metadata do not matter.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import type * as z from "zod";
import { objectsOfText } from "../../../bin/sync/read-manifests.ts";
import { ManifestError } from "../../../bin/sync/manifest-error.ts";
import { checked, infisicalSecretSpec, vaultAuthSpec, vaultStaticSecretSpec } from "../../../bin/sync/operator-resources.ts";
import { vsoSecretData } from "../../../bin/sync/secret-data.ts";

/** The reader's whole contract for one text: objects, or a ManifestError with its code. */
function readOrRefuse(text: string): void {
  try {
    const objects = objectsOfText(text, "m.yaml");
    for (const object of objects) {
      assert.match(object.apiVersion, /^secrets\.(hashicorp|infisical)\.com\//);
      assert.ok(object.name.length > 0);
      for (const schema of [vaultStaticSecretSpec, vaultAuthSpec, infisicalSecretSpec] as z.ZodType<unknown>[]) {
        try {
          checked(object, schema);
        } catch (error) {
          if (!(error instanceof ManifestError)) throw error;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    assert.equal(error.code, "KB_MANIFEST_INVALID");
    assert.ok(!error.message.includes("\n"), "one line");
  }
}

const operatorKinds = ["VaultConnection", "VaultAuth", "VaultStaticSecret", "VaultDynamicSecret", "InfisicalSecret", "Secret"];
const anyValue = fc.jsonValue({ maxDepth: 4 });
/** Documents shaped roughly like the operators' objects, fields random. */
const objectish = fc.record({
  apiVersion: fc.oneof(fc.constantFrom("secrets.hashicorp.com/v1beta1", "secrets.infisical.com/v1alpha1", "v1", "secrets.hashicorp.com/v1"), anyValue),
  kind: fc.oneof(fc.constantFrom(...operatorKinds), anyValue),
  metadata: fc.oneof(fc.record({ name: fc.oneof(fc.string(), anyValue), namespace: fc.oneof(fc.constantFrom("ml-training", "ML"), anyValue) }, { requiredKeys: [] }), anyValue),
  spec: anyValue,
}, { requiredKeys: [] });

describe("the manifest reader", () => {
  it("never crashes on random text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), readOrRefuse), { numRuns: 300 });
  });

  it("never crashes on random YAML documents shaped like the operators' objects", () => {
    const stream = fc.array(objectish, { maxLength: 4 }).map((documents) => documents.map((document) => stringify(document)).join("---\n"));
    fc.assert(fc.property(stream, readOrRefuse), { numRuns: 300 });
  });

  it("reads objects whatever their key order and metadata, skipping other kinds", () => {
    const text = [
      "kind: ServiceAccount\napiVersion: v1\nmetadata: {name: trainer, namespace: ml-training}",
      "metadata:\n  labels: {team: ml}\n  annotations: {note: x}\n  namespace: ml-training\n  name: db\nspec:\n  destination: {name: db}\n  path: a/b\n  mount: secret\n  type: kv-v2\nkind: VaultStaticSecret\napiVersion: secrets.hashicorp.com/v1beta1",
    ].join("\n---\n");
    const objects = objectsOfText(text, "m.yaml");
    assert.deepEqual(objects.map((object) => [object.kind, object.namespace, object.name]), [["VaultStaticSecret", "ml-training", "db"]]);
    assert.equal(checked(objects[0]!, vaultStaticSecretSpec).spec.path, "a/b");
  });

  it("fails with the file, the document, the object and the field", () => {
    const [object] = objectsOfText("apiVersion: secrets.hashicorp.com/v1beta1\nkind: VaultStaticSecret\nmetadata: {name: db, namespace: ml}\nspec: {type: kv-v2, mount: secret, destination: {name: db}}\n", "ml.yaml");
    assert.throws(() => checked(object!, vaultStaticSecretSpec), /^ManifestError: ml\.yaml \(document 1\): VaultStaticSecret ml\/db: spec\.path: /);
    const [old] = objectsOfText("apiVersion: secrets.hashicorp.com/v1alpha1\nkind: VaultAuth\nmetadata: {name: a, namespace: ml}\n", "ml.yaml");
    assert.throws(() => checked(old!, vaultAuthSpec), /apiVersion secrets\.hashicorp\.com\/v1alpha1 is not served; use secrets\.hashicorp\.com\/v1beta1/);
  });
});

describe("VSO's Secret data", () => {
  it("writes each key and _raw, and honours excludeRaw, includes and excludes", () => {
    const data = { host: "h", port: 5432, password: "p" };
    assert.deepEqual([...vsoSecretData(data, undefined, "at")], [["host", "h"], ["port", "5432"], ["password", "p"], ["_raw", JSON.stringify(data)]]);
    assert.deepEqual([...vsoSecretData(data, { excludeRaw: true, includes: ["^p"], excludes: ["^port$"] }, "at").keys()], ["password"]);
  });

  it("fails when the transformation uses templates or SecretTransformation references", () => {
    assert.throws(() => vsoSecretData({}, { templates: { url: { text: "x" } } }, "f.yaml: VaultStaticSecret ml/db"), /^ManifestError: f\.yaml: VaultStaticSecret ml\/db: spec\.destination\.transformation\.templates/);
    assert.throws(() => vsoSecretData({}, { transformationRefs: [{ name: "t" }] }, "at"), /transformationRefs/);
  });
});
