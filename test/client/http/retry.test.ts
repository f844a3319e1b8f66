import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, isRetryableStatus, isTransientError, retryAfterMs } from "../../../client/http/retry.ts";

describe("retry decisions", () => {
  it("retries 412, 429 and 5xx server trouble, never client errors", () => {
    for (const status of [412, 429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(status), String(status));
    for (const status of [200, 204, 400, 401, 403, 404, 501]) assert.ok(!isRetryableStatus(status), String(status));
  });

  it("treats resets and timeouts as transient, unknown hosts and TLS trust failures as final", () => {
    assert.ok(isTransientError(Object.assign(new Error("x"), { code: "ECONNRESET" })));
    assert.ok(isTransientError(new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "UND_ERR_SOCKET" }) })));
    assert.ok(!isTransientError(Object.assign(new Error("x"), { code: "ENOTFOUND" })));
    assert.ok(!isTransientError(Object.assign(new Error("x"), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" })));
  });

  it("spreads delays with full jitter under a growing cap", () => {
    const backoff = { baseMs: 100, capMs: 1_000 };
    assert.equal(backoffDelay(0, backoff, () => 0.999), 99);
    assert.equal(backoffDelay(3, backoff, () => 0.5), 400);
    assert.equal(backoffDelay(10, backoff, () => 0.999), 999, "capped");
    assert.equal(backoffDelay(10, backoff, () => 0), 0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    assert.equal(retryAfterMs("3", now), 3_000);
    assert.equal(retryAfterMs("Wed, 25 Nov 2026 10:00:05 GMT", now), 5_000);
    assert.equal(retryAfterMs("soon", now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });
});
