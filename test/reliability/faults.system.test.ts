// The quick form of the faults suite: one transient and one permanent of the main fault kinds,
// against the committed bundle and a real dev backend. Nothing may break. A system test: the
// suite's TLS faults need openssl for their test CA.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { faults } from "../../reliability/suites/faults/index.ts";
import { broken } from "../../reliability/report.ts";

describe("reliability: faults", () => {
  it("holds every attempt of the quick form", { timeout: 120_000 }, async () => {
    const report = await faults({ quick: true, log: () => {} });
    assert.ok(report.attempts.length >= 9, `the quick form ran only ${report.attempts.length} scenarios`);
    const failures = broken(report).map((attempt) => `${attempt.tried}: ${attempt.outcome}`);
    assert.equal(failures.length, 0, `${failures.length} broken:\n${failures.join("\n")}`);
  });
});
