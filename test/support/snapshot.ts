// Compares text with a committed snapshot file; UPDATE_SNAPSHOTS=1 rewrites it. Snapshots hold
// only machine-independent text (no absolute paths, no times), so they match on every machine.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function matchSnapshot(file: URL, actual: string): void {
  const path = file.pathname;
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(path)) {
    if (process.env.CI && !existsSync(path)) assert.fail(`snapshot ${path} is missing: run the test locally and commit it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"), `differs from the snapshot ${path}; if the change is intended, run with UPDATE_SNAPSHOTS=1`);
}
