import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkEnvironmentSize, environmentBudgetBytes, maxVariableBytes } from "../../client/environment-limits.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

const options = { consequence: "nothing was exported", fix: "use export-file" };

function refusal(run: () => void, code = "KB_EXPORT_TOO_LARGE"): string {
  let message = "";
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof KeybridgeError);
    assert.equal(error.code, code);
    assert.doesNotMatch(error.message, /\n/);
    message = error.message;
    return true;
  });
  return message;
}

describe("environment sizes", () => {
  it("accepts a variable of exactly 128 KiB with its name, = and NUL, and refuses one byte more", () => {
    const fits = "v".repeat(maxVariableBytes - "BIG=".length - 1);
    checkEnvironmentSize([["BIG", fits]], {}, options);
    const message = refusal(() => checkEnvironmentSize([["BIG", `${fits}v`]], {}, options));
    assert.match(message, /^BIG \(128 KiB\) is over the 128 KiB Linux allows one environment variable.*E2BIG.*nothing was exported; use export-file$/);
    assert.ok(!message.includes("vvvv"), "the value is never in the message");
  });

  it("refuses a value holding a NUL byte, naming it", () => {
    assert.match(refusal(() => checkEnvironmentSize([["OK", "fine"], ["BIN", "a\0b"]], {}, options), "KB_EXPORT_FAILED"), /^BIN holds a NUL byte, which no environment variable can carry.*nothing was exported; use export-file$/);
  });

  it("counts bytes, not characters", () => {
    const value = "é".repeat(maxVariableBytes / 2);
    assert.match(refusal(() => checkEnvironmentSize([["E", value]], {}, options)), /^E \(/);
  });

  it("refuses many values that each fit but together pass the budget, naming the largest and the sizes", () => {
    const value = "x".repeat(100 * 1024);
    const entries = Array.from({ length: 11 }, (_, index) => [`V${index}`, value] as const);
    const message = refusal(() => checkEnvironmentSize(entries, { PATH: "/usr/bin" }, options));
    assert.match(message, /^the environment would hold 1100 KiB .*largest V\d+ 100 KiB.*over the 1024 KiB budget.*ARG_MAX/);
    checkEnvironmentSize(entries.slice(0, 9), { PATH: "/usr/bin" }, options);
  });

  it("counts what is already set, except the names the export replaces", () => {
    const half = "x".repeat(environmentBudgetBytes / 2);
    const base = { A: half, B: half };
    refusal(() => checkEnvironmentSize([["C", "1"]], base, options));
    checkEnvironmentSize([["A", "1"]], base, options);
  });
});
