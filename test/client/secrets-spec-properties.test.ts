// Properties of the secrets input over random text: the parser never crashes or hangs (it accepts,
// or refuses with one KeybridgeError line), and every name it accepts is a portable variable name.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseSecretsSpec } from "../../client/secrets-spec.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { isPortableName } from "../../client/name-policy.ts";

// Pieces that mean something to the parser, mixed with arbitrary text.
const token = fc.oneof(
  fc.constantFrom("secret/data/app", "/kv/x", "a/../b", "*", "**", "|", ";", "#", "\n", "\r\n", " ", "\t", "`", ".", "`a.b`", "key", "db.host", "$.x", "<<", "=", "%", "?"),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);
const specText = fc.array(token, { maxLength: 40 }).map((parts) => parts.join(""));
const wellFormedLine = fc.tuple(
  fc.constantFrom("secret/data/app/db", "kv/data/x", "folder"),
  fc.oneof(fc.constantFrom("*", "**", "password", "db.host", "`tls.crt`"), fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/)),
  fc.option(fc.string({ unit: "binary", maxLength: 10 }), { nil: undefined }),
).map(([path, selector, name]) => `${path} ${selector}${name === undefined ? "" : ` | ${name}`}`);

function parseOrRefuse(text: string): ReturnType<typeof parseSecretsSpec> | undefined {
  try {
    return parseSecretsSpec(text);
  } catch (error) {
    assert.ok(error instanceof KeybridgeError, `not a KeybridgeError: ${String(error)}`);
    assert.doesNotMatch(error.message, /[\r\n\u2028\u2029]/, "a refusal is one line");
    return undefined;
  }
}

describe("secrets spec properties", () => {
  it("never throws anything but a one-line KeybridgeError, on any text", () => {
    fc.assert(fc.property(fc.oneof(specText, fc.array(wellFormedLine, { maxLength: 5 }).map((lines) => lines.join("\n"))), (text) => {
      parseOrRefuse(text);
    }), { numRuns: 3000 });
  });

  it("accepts only portable names after |, and only paths without empty, . or .. segments", () => {
    fc.assert(fc.property(fc.array(fc.oneof(wellFormedLine, specText), { maxLength: 5 }).map((lines) => lines.join("\n")), (text) => {
      for (const request of parseOrRefuse(text) ?? []) {
        if (request.name !== undefined) assert.ok(isPortableName(request.name), request.name);
        assert.ok(!request.path.split("/").some((segment) => segment === "" || segment === "." || segment === ".."), request.path);
      }
    }), { numRuns: 3000 });
  });

  it("reads long and adversarial lines in bounded work (no backtracking blow-up)", () => {
    const long = `secret/data/app ${"a.".repeat(20_000)}!`;
    assert.equal(parseOrRefuse(long), undefined);
    const many = Array.from({ length: 5_000 }, (_, index) => `secret/data/app k${index} | N${index}`).join(";");
    assert.equal(parseOrRefuse(many)?.length, 5_000);
  });
});
