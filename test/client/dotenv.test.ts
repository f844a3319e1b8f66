import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDotenv, formatJson } from "../../client/dotenv.ts";

const tricky: Array<[string, string]> = [
  ["QUOTES", `it's "quoted" and 'single'`],
  ["DOLLARS", "$HOME ${PATH} `uname` $(id)"],
  ["MULTILINE", "-----BEGIN KEY-----\nline two\\n not a newline\n\n-----END KEY-----\n"],
  ["BACKSLASH", "C:\\path\\\\x \\"],
  ["SPACES", "  padded\t"],
  ["UNICODE", "café ☕ 🚀"],
  ["EMPTY", ""],
];

describe("export file formats", () => {
  it("dotenv reads back exactly through the shell: set -a; . file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-dotenv-"));
    try {
      const file = join(dir, "secrets.env");
      writeFileSync(file, formatDotenv(tricky));
      const script = `set -a; . "${file}"; node -e 'process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(tricky.map(([n]) => n))}.map((n) => [n, process.env[n]]))))'`;
      const result = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: process.env.PATH } });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), Object.fromEntries(tricky));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails when a name cannot be a shell variable", () => {
    assert.throws(() => formatDotenv([["1PASSWORD", "x"]]), /1PASSWORD is not a valid name in a dotenv file.*json/);
  });

  it("json reads back exactly", () => {
    assert.deepEqual(JSON.parse(formatJson(tricky)), Object.fromEntries(tricky));
  });
});
