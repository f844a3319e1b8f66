// The quick form of the policy-escapes suite: nothing may break.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { suites } from "../../reliability/suites/index.ts";
import { broken } from "../../reliability/report.ts";

describe("reliability: policy-escapes", () => {
  it("holds every attempt", async () => {
    const report = await suites["policy-escapes"]!({ quick: true, log: () => {} });
    const failures = broken(report).map((attempt) => `${attempt.tried}: ${attempt.outcome}`);
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
