import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { envName, outputName } from "../../client/env-names.ts";

describe("exported names, by vault-action's rules", () => {
  it("upper-cases environment names and keeps the case of outputs", () => {
    assert.equal(envName("secretKey"), "SECRETKEY");
    assert.equal(outputName("secretKey"), "secretKey");
  });

  it("turns every dot into __ and drops - and other characters", () => {
    assert.equal(envName("db.host"), "DB__HOST");
    assert.equal(envName("a.b.c"), "A__B__C", "every dot, as vault-action 3.4 does");
    assert.equal(envName("api-key"), "APIKEY");
    assert.equal(envName("key with space/and:colon"), "KEYWITHSPACEANDCOLON");
    assert.equal(envName("clé_ü"), "CLÉ_Ü", "letters of any script are kept");
  });
});
