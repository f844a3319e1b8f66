// The quick form of the bad-input suite: every input mistake gets its one line and exit code.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { badInput } from "../../reliability/suites/bad-input/index.ts";
import { broken } from "../../reliability/report.ts";

describe("reliability: bad input", () => {
  it("tells every mistake in one line with the documented exit code", async () => {
    const report = await badInput({ quick: true, log: () => {} });
    const failures = broken(report).map((attempt) => `${attempt.tried}: ${attempt.outcome}`);
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
