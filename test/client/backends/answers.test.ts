// The backends' refusals as one line, read without schemas (the post step loads no zod).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { infisicalMessage, vaultApiUrl, vaultErrors, vaultHeaders } from "../../../client/backends/answers.ts";

const answer = (json: unknown) => ({ status: 400, headers: {}, json });

describe("Vault's errors", () => {
  it("joins the messages and flattens multierror text", () => {
    assert.equal(vaultErrors(answer({ errors: ["1 error occurred:\n\t* permission denied\n\n", "second"] })), "permission denied; second");
  });

  it("says there was no message for anything else", () => {
    for (const json of [undefined, null, "text", [], { errors: [] }, { errors: [1] }, { errors: "x" }, { errors: [""] }]) {
      assert.equal(vaultErrors(answer(json)), "(no message)", JSON.stringify(json));
    }
  });

  it("escapes each path segment under v1/ and sends the namespace only when set", () => {
    assert.equal(vaultApiUrl(new URL("https://vault.example:8200/base"), "secret/data/a b").href, "https://vault.example:8200/base/v1/secret/data/a%20b");
    assert.deepEqual(vaultHeaders(undefined, "t"), { "x-vault-request": "true", "x-vault-token": "t" });
    assert.deepEqual(vaultHeaders("team/"), { "x-vault-request": "true", "x-vault-namespace": "team/" });
  });
});

describe("Infisical's message", () => {
  it("takes the message, or the list of invalid fields of a 422", () => {
    assert.equal(infisicalMessage(answer({ message: "Project not found", error: "NotFound" })), "Project not found");
    assert.equal(infisicalMessage(answer({ message: [{ path: ["query", "recursive"], message: "Invalid enum value" }, {}] })), "query.recursive: Invalid enum value; (request): invalid");
  });

  it("says there was no message for anything else", () => {
    for (const json of [undefined, null, [], {}, { message: 5 }, { message: "x", error: 5 }, { message: [5] }, { message: [{ path: "x" }] }]) {
      assert.equal(infisicalMessage(answer(json)), "(no message)", JSON.stringify(json));
    }
  });
});
