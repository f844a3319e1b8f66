// The quick form of the durability suite: 8 crash rounds of `keybridge dev --data DIR` killed with
// SIGKILL while clients write, then starts on damaged copies and with wrong keys. Nothing may break.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { suites } from "../../reliability/suites/index.ts";
import { broken } from "../../reliability/report.ts";

describe("reliability: durability", () => {
  it("loses no acknowledged write, corrupts nothing, and refuses every damaged start", { timeout: 120_000 }, async () => {
    const report = await suites["durability"]!({ quick: true, log: () => {} });
    assert.ok(report.attempts.length >= 8 + 9, `the quick form tried only ${report.attempts.length} things`);
    assert.equal(report.figures.lost, "0");
    assert.equal(report.figures.corrupted, "0");
    const failures = broken(report).map((attempt) => `${attempt.tried}: ${attempt.outcome}`);
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
