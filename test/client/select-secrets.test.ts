import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { selectSecrets } from "../../client/select-secrets.ts";
import type { SecretRead } from "../../client/backends/backend.ts";

function reads(entries: Record<string, Record<string, unknown>>): Map<string, SecretRead> {
  return new Map(Object.entries(entries).map(([path, data]) => [path, { path, data, lease: undefined, writtenAt: undefined, customMetadata: undefined }]));
}

const data = reads({
  "secret/data/app": { password: "pw", "api-key": "k", port: 5432, tls: { crt: "C" }, "tls.crt": "literal" },
  "secret/data/aws": { accessKey: "A", secretKey: "S" },
});

const names = { allowNames: new Set<string>(), allowNamesHow: "allow-names", consequence: "nothing was exported", warn: () => {} };

function select(spec: string) {
  return selectSecrets(parseSecretsSpec(spec), data, names).map((s) => [s.envName, s.outputName, s.value]);
}

describe("selecting secrets", () => {
  it("names a key by NAME, or by the key's env name", () => {
    assert.deepEqual(select("secret/data/app password | DB_PASSWORD\nsecret/data/app api-key"), [
      ["DB_PASSWORD", "DB_PASSWORD", "pw"],
      ["APIKEY", "apikey", "k"],
    ]);
  });

  it("exports non-string values as compact JSON", () => {
    assert.deepEqual(select("secret/data/app port | PORT\nsecret/data/app tls | TLS"), [["PORT", "PORT", "5432"], ["TLS", "TLS", '{"crt":"C"}']]);
  });

  it("prefers a key literally named with a dot, else follows the path", () => {
    assert.deepEqual(select("secret/data/app tls.crt | A\nsecret/data/app `tls`.crt | B"), [["A", "A", "literal"], ["B", "B", "C"]]);
  });

  it("exports every key with * (upper-cased) and ** (case kept), with a prefix", () => {
    assert.deepEqual(select("secret/data/aws * | AWS_"), [["AWS_ACCESSKEY", "AWS_accessKey", "A"], ["AWS_SECRETKEY", "AWS_secretKey", "S"]]);
    assert.deepEqual(select("secret/data/aws **"), [["accessKey", "accessKey", "A"], ["secretKey", "secretKey", "S"]]);
  });

  it("fails when a key is missing, naming the path and the keys it has (never values)", () => {
    assert.throws(() => select("secret/data/aws sessionToken"), (error: Error) => {
      assert.match(error.message, /secret\/data\/aws: has no key "sessionToken" .*accessKey, secretKey/);
      assert.doesNotMatch(error.message, /"A"|"S"/);
      return true;
    });
  });

  it("fails when two requests export the same name", () => {
    assert.throws(() => select("secret/data/app password | X\nsecret/data/aws accessKey | X"), /lines 1 and 2: both export X/);
  });
});
