// How many reads a step runs at once: never more than the pool's connections, and no more than the
// fewest rounds need.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readConcurrency, readWorkers } from "../../client/read-secrets.ts";

describe("readWorkers", () => {
  it("gives one worker per path up to the bound", () => {
    assert.equal(readWorkers(0), 0);
    assert.equal(readWorkers(1), 1);
    assert.equal(readWorkers(readConcurrency), readConcurrency);
  });

  it("spreads paths beyond the bound evenly over the rounds they need", () => {
    assert.equal(readWorkers(20), 10);
    assert.equal(readWorkers(readConcurrency + 1), Math.ceil((readConcurrency + 1) / 2));
    assert.equal(readWorkers(3 * readConcurrency), readConcurrency);
  });

  it("never needs more rounds than the bound allows, nor more workers than the bound", () => {
    for (let paths = 1; paths <= 10 * readConcurrency; paths++) {
      const workers = readWorkers(paths);
      assert.ok(workers <= readConcurrency, `${paths} paths: ${workers} workers`);
      assert.equal(Math.ceil(paths / workers), Math.ceil(paths / readConcurrency), `${paths} paths: ${workers} workers`);
    }
  });
});
