// The runner file protocol writer against the runner's reader: whatever Keybridge writes to
// GITHUB_ENV / GITHUB_OUTPUT reads back as exactly the same name/value pairs under the runner's
// heredoc rules, for any name it accepts and any value, delimiter look-alikes included.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatFileCommand } from "../../../action/runner-protocol/file-commands.ts";
import { parseFileCommands } from "../../../testkit/runner-emulator/file-commands.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
const value = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fc.constantFrom("ghadelimiter_", "EOF", "<<", "=", "\n", "\r\n", "\r", "", "NAME<<EOF", "ghadelimiter_00000000-0000-0000-0000-000000000000"), { maxLength: 12 }).map((parts) => parts.join("")),
);

describe("runner file protocol properties", () => {
  it("reads back every written pair exactly, in order", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, maxLength: 8 }), (pairs) => {
      const text = pairs.map(([key, text]) => formatFileCommand(key, text)).join("");
      assert.deepEqual([...parseFileCommands(text)], pairs);
    }), { numRuns: 2000 });
  });

  it("refuses, rather than writes, a value that holds its delimiter or a name the runner would misread", () => {
    fc.assert(fc.property(name, value, fc.constantFrom("D", "ghadelimiter_x"), (key, text, delimiter) => {
      const hostile = `${text}\n${delimiter}\n`;
      assert.throws(() => formatFileCommand(key, hostile, delimiter), KeybridgeError);
    }), { numRuns: 500 });
    for (const bad of ["", "DB<<X", "A=B", "A\nB", "A\rB"]) assert.throws(() => formatFileCommand(bad, "v"), KeybridgeError, JSON.stringify(bad));
  });
});
