// The quick form of the load suite: nothing may break.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { suites } from "../../reliability/suites/index.ts";
import { broken } from "../../reliability/report.ts";

describe("reliability: load", () => {
  it("holds every attempt", async () => {
    const report = await suites["load"]!({ quick: true, log: () => {} });
    const failures = broken(report).map((attempt) => `${attempt.tried}: ${attempt.outcome}`);
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
