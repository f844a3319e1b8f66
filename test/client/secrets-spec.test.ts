import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

function fails(input: string, pattern: RegExp): void {
  assert.throws(() => parseSecretsSpec(input), (error: unknown) => {
    assert.ok(error instanceof KeybridgeError);
    assert.equal(error.code, "KB_INPUT_INVALID");
    assert.doesNotMatch(error.message, /\n/, "errors are one line");
    assert.match(error.message, pattern);
    return true;
  });
}

describe("secrets spec", () => {
  it("reads vault-action's `;`-separated syntax unchanged, trailing `;` included", () => {
    const requests = parseSecretsSpec("secret/data/ci/aws accessKey | AWS_ACCESS_KEY_ID ;\n  secret/data/ci/aws secretKey ;\n");
    assert.deepEqual(requests.map((r) => [r.path, r.selector.kind === "key" ? r.selector.key : "*", r.name, r.line]), [
      ["secret/data/ci/aws", "accessKey", "AWS_ACCESS_KEY_ID", 1],
      ["secret/data/ci/aws", "secretKey", undefined, 2],
    ]);
  });

  it("takes one request per line, and several per line with `;`", () => {
    const requests = parseSecretsSpec("a/b x\nc/d * | APP_ ; e/f **\n# a comment\n\n");
    assert.deepEqual(requests.map((r) => [r.path, r.selector, r.name]), [
      ["a/b", { kind: "key", key: "x", keyPath: ["x"] }, undefined],
      ["c/d", { kind: "all", keepCase: false }, "APP_"],
      ["e/f", { kind: "all", keepCase: true }, undefined],
    ]);
  });

  it("strips a leading slash (cubbyhole/foo) and splits NAME on the last |", () => {
    const [request] = parseSecretsSpec("/cubbyhole/foo bar | NAME");
    assert.equal(request!.path, "cubbyhole/foo");
    assert.equal(request!.name, "NAME");
  });

  it("reads dotted key paths and back-quoted segments", () => {
    const [nested, quoted] = parseSecretsSpec("secret/data/cfg db.host | DB_HOST\nsecret/data/tls `tls.crt` | CERT");
    assert.deepEqual(nested!.selector, { kind: "key", key: "db.host", keyPath: ["db", "host"] });
    assert.deepEqual(quoted!.selector, { kind: "key", key: "`tls.crt`", keyPath: ["tls.crt"] });
  });

  it("fails when the input is empty", () => fails(" \n ; \n", /Input secrets is empty/));
  it("fails when a line has no selector", () => fails("secret/data/app", /line 1 .*selector is missing/));
  it("fails when a line has extra words", () => fails("ok/path k\nsecret/data/app a b", /line 2 .*more than a path and a selector/));
  it("fails when a selector is a JSONata expression", () => fails("secret/data/app $.keys()[0] | X", /JSONata/));
  it("fails when NAME is empty or has spaces", () => {
    fails("secret/data/app key |", /not a variable name/);
    fails("secret/data/app key | MY NAME", /"MY NAME" is not a variable name/);
  });
  it("fails when a path climbs out with ..", () => fails("secret/data/../sys/policy x", /not a secret path/));
});
