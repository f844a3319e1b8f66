// The leaks suite in its quick form: a bounded corpus (every hand-picked kind, one 64 KiB value)
// through the committed Action bundles against `keybridge dev`, and the canary flows. Nothing may
// break; the assertion message lists every broken attempt with its reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { leaks } from "../../reliability/suites/leaks/index.ts";
import { broken } from "../../reliability/report.ts";

test("leaks (quick): every value masked, never shown, exported exactly; no canary in any output", { timeout: 120_000 }, async () => {
  const report = await leaks({ quick: true, log: () => {} });
  assert.ok(report.attempts.length >= 40, `the quick form tried only ${report.attempts.length} things`);
  const failures = broken(report);
  assert.equal(failures.length, 0, `broke ${failures.length} of ${report.attempts.length}:\n${failures.map((failure) => `- ${failure.tried}: ${failure.outcome}`).join("\n")}`);
});
