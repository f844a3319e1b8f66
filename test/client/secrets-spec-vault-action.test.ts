// The secrets spec details vault-action v3.4 reads and Keybridge used to refuse or misname.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { selectSecrets } from "../../client/select-secrets.ts";
import type { SecretRead } from "../../client/backends/backend.ts";

const names = { allowNames: new Set<string>(), allowNamesHow: "the allow-names input", consequence: "nothing was exported", warn: () => {} };
const read = (path: string, data: Record<string, unknown>): SecretRead => ({ path, data, lease: undefined, writtenAt: undefined, customMetadata: undefined });

describe("secrets spec, as vault-action reads it", () => {
  it("pins a KV v2 version with ?version=N, read apart from the latest", () => {
    const [pinned, latest] = parseSecretsSpec("secret/data/app?version=3 password | OLD\nsecret/data/app password | NEW");
    assert.equal(pinned!.path, "secret/data/app?version=3");
    assert.equal(latest!.path, "secret/data/app");
  });

  it("refuses a query it cannot send", () => {
    assert.throws(() => parseSecretsSpec("secret/data/app?version=3#x password"), /not a query Keybridge can send/);
  });

  it("joins one request split over two lines, and a | NAME on the next line", () => {
    const requests = parseSecretsSpec("secret/data/ci/aws\n  accessKey | AWS_ACCESS_KEY_ID ;\nsecret/data/ci/aws secretKey\n  | AWS_SECRET_ACCESS_KEY");
    assert.deepEqual(requests.map((request) => [request.path, request.selector.kind === "key" ? request.selector.key : "*", request.name, request.line]), [
      ["secret/data/ci/aws", "accessKey", "AWS_ACCESS_KEY_ID", 1],
      ["secret/data/ci/aws", "secretKey", "AWS_SECRET_ACCESS_KEY", 3],
    ]);
  });

  it("still refuses a line with more than a path and a selector", () => {
    assert.throws(() => parseSecretsSpec("secret/data/app a b"), /more than a path and a selector/);
  });

  it("looks a double-quoted key up without its quotes, and names it without them", () => {
    const requests = parseSecretsSpec('secret/data/app "api-key"');
    assert.deepEqual(requests[0]!.selector, { kind: "key", key: "api-key", keyPath: ["api-key"] });
    const [secret] = selectSecrets(requests, new Map([["secret/data/app", read("secret/data/app", { "api-key": "k" })]]), names);
    assert.deepEqual([secret!.envName, secret!.outputName, secret!.value], ["APIKEY", "apikey", "k"]);
  });

  it("names a.b.c A__B__C, and upper-cases a * prefix with the key (** keeps both)", () => {
    const reads = new Map([["s/data/a", read("s/data/a", { a: { b: { c: "deep" } }, user: "u" })]]);
    const exported = (spec: string) => selectSecrets(parseSecretsSpec(spec), reads, names).map((secret) => [secret.envName, secret.outputName]);
    assert.deepEqual(exported("s/data/a a.b.c"), [["A__B__C", "a__b__c"]]);
    assert.deepEqual(exported("s/data/a user | cfg_user"), [["cfg_user", "cfg_user"]], "a NAME is used as written");
    assert.deepEqual(exported("s/data/a * | cfg_").find(([, output]) => output === "cfg_user"), ["CFG_USER", "cfg_user"]);
    assert.deepEqual(exported("s/data/a ** | cfg_").find(([, output]) => output === "cfg_user"), ["cfg_user", "cfg_user"]);
  });
});

describe("two requests that export one name", () => {
  const reads = new Map([
    ["s/data/a", read("s/data/a", { user: "from-a", a_only: "1" })],
    ["s/data/b", read("s/data/b", { user: "from-b" })],
  ]);
  const spec = parseSecretsSpec("s/data/a *\ns/data/b *");

  it("fail in Keybridge's own steps", () => {
    assert.throws(() => selectSecrets(spec, reads, names), /lines 1 and 2: both export USER/);
  });

  it("let the later one win in a vault-action step, with a warning naming both lines", () => {
    const warnings: string[] = [];
    const secrets = selectSecrets(spec, reads, names, { replace: true, warn: (line) => warnings.push(line) });
    assert.deepEqual(secrets.map((secret) => [secret.envName, secret.value]), [["A_ONLY", "1"], ["USER", "from-b"]]);
    assert.match(warnings.join("\n"), /lines 1 and 2: both export USER; the later one wins/);
  });
});
