import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { resolveCommand } from "../../bin/run/child.ts";

describe("finding the command of keybridge run", () => {
  it("takes the first executable on the PATH given, never a PATH among the secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "keybridge-child-test-"));
    try {
      for (const name of ["a", "b"]) mkdirSync(join(dir, name));
      writeFileSync(join(dir, "a", "tool"), "not executable");
      writeFileSync(join(dir, "b", "tool"), "#!/bin/sh\n");
      chmodSync(join(dir, "b", "tool"), 0o755);
      assert.equal(resolveCommand("tool", [join(dir, "a"), join(dir, "b")].join(delimiter), "linux"), join(dir, "b", "tool"));
      assert.equal(resolveCommand("tool", join(dir, "a"), "linux"), undefined);
      assert.equal(resolveCommand("./tool", "", "linux"), "./tool", "a path is used as given");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
