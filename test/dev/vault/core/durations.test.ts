import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../../../dev/vault/core/durations.ts";

describe("Vault durations", () => {
  it("reads integers and digit strings as seconds", () => {
    assert.equal(parseDuration(90), 90);
    assert.equal(parseDuration("600"), 600);
    assert.equal(parseDuration(""), 0);
  });

  it("reads Go duration strings and Vault's day unit", () => {
    assert.equal(parseDuration("30s"), 30);
    assert.equal(parseDuration("10m"), 600);
    assert.equal(parseDuration("1h30m"), 5400);
    assert.equal(parseDuration("768h"), 2_764_800);
    assert.equal(parseDuration("1.5h"), 5400);
    assert.equal(parseDuration("7d"), 604_800);
    assert.equal(parseDuration("-1"), -1);
  });

  it("truncates sub-second durations toward zero", () => {
    assert.equal(parseDuration("1500ms"), 1);
    assert.equal(parseDuration("999ms"), 0);
  });

  it("fails on anything else, quoting the input like Go", () => {
    for (const bad of ["ten minutes", "10x", "h", "1h 30m", "1.5"]) {
      assert.throws(() => parseDuration(bad), { message: `time: invalid duration "${bad}"` });
    }
    assert.throws(() => parseDuration(1.5), /invalid duration/);
  });

  it("prints durations the way Vault does", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(45), "45s");
    assert.equal(formatDuration(600), "10m0s");
    assert.equal(formatDuration(3600), "1h0m0s");
    assert.equal(formatDuration(2_764_800), "768h0m0s");
  });
});
