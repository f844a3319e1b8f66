// Sets a step's inputs as the runner passes them (INPUT_<NAME>), and checks that reading them
// fails with one line of code KB_INPUT_INVALID: shared by the tests of the Action's inputs.
import assert from "node:assert/strict";
import { readFetchInputs } from "../../action/inputs.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

export function setInputs(inputs: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith("INPUT_")) delete process.env[name];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

/** `hidden`: a value that must not appear in the message. */
export function failsWith(inputs: Record<string, string>, pattern: RegExp, hidden?: string): void {
  setInputs(inputs);
  assert.throws(readFetchInputs, (error: unknown) => {
    assert.ok(error instanceof KeybridgeError, String(error));
    assert.equal(error.code, "KB_INPUT_INVALID");
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, pattern);
    if (hidden) assert.ok(!error.message.includes(hidden), "a secret input's value is never shown");
    return true;
  });
}
