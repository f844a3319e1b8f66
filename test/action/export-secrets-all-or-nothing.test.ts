// All or nothing: every destination is checked and every payload built before the first write.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportSecrets } from "../../action/export-secrets.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SelectedSecret } from "../../client/select-secrets.ts";
import { parseFileCommands } from "../../testkit/runner-emulator/file-commands.ts";

const runnerVariables = ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "RUNNER_TEMP"] as const;
let dir: string;
let saved: Record<string, string | undefined>;

function secret(name: string, value: string): SelectedSecret {
  return { envName: name, outputName: name, value, path: "secret/data/app", key: name.toLowerCase(), nameFrom: "workflow" };
}

beforeEach(() => {
  saved = Object.fromEntries(runnerVariables.map((name) => [name, process.env[name]]));
  dir = mkdtempSync(join(tmpdir(), "keybridge-export-test-"));
  mkdirSync(join(dir, "temp"));
  for (const name of ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE"] as const) {
    writeFileSync(join(dir, name), "");
    process.env[name] = join(dir, name);
  }
  process.env.RUNNER_TEMP = join(dir, "temp");
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

const written = (name: string) => readFileSync(join(dir, name), "utf8");
const everything = { env: true, outputs: true, file: { name: "ci.env", format: "dotenv" as const } };

function failsWith(code: string, pattern: RegExp, run: () => void): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof KeybridgeError);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("exporting all or nothing", () => {
  it("writes env, outputs (with the facts and the file path) and the file when every destination is there", () => {
    const path = exportSecrets([secret("A", "1"), secret("B", "two\nlines")], everything, [["exported", '["A","B"]']]);
    assert.deepEqual([...parseFileCommands(written("GITHUB_ENV"))], [["A", "1"], ["B", "two\nlines"]]);
    assert.deepEqual([...parseFileCommands(written("GITHUB_OUTPUT"))], [["A", "1"], ["B", "two\nlines"], ["exported", '["A","B"]'], ["file", path]]);
    assert.equal(readFileSync(path!, "utf8"), "A='1'\nB='two\nlines'\n");
  });

  it("fails when GITHUB_OUTPUT is missing before anything reaches GITHUB_ENV or the file", () => {
    delete process.env.GITHUB_OUTPUT;
    failsWith("KB_NOT_ON_RUNNER", /^GITHUB_OUTPUT is not set/, () => exportSecrets([secret("A", "1")], everything, [["exported", "[]"]]));
    assert.equal(written("GITHUB_ENV"), "");
    assert.equal(written("GITHUB_STATE"), "");
    assert.deepEqual(readdirSync(join(dir, "temp")), []);
  });

  it("fails when RUNNER_TEMP is not a directory before anything reaches GITHUB_ENV", () => {
    process.env.RUNNER_TEMP = join(dir, "GITHUB_STATE");
    failsWith("KB_EXPORT_FAILED", /^RUNNER_TEMP .* is not a directory this step can write to \(ENOTDIR\); nothing was exported/, () => exportSecrets([secret("A", "1")], everything));
    assert.equal(written("GITHUB_ENV"), "");
    assert.equal(written("GITHUB_OUTPUT"), "");
  });

  it("fails when GITHUB_ENV names a file in a directory that does not exist", () => {
    process.env.GITHUB_ENV = join(dir, "gone", "env");
    failsWith("KB_EXPORT_FAILED", /^GITHUB_ENV names .* which cannot be written \(ENOENT\)/, () => exportSecrets([secret("A", "1")], everything));
    assert.equal(written("GITHUB_OUTPUT"), "");
  });

  it("fails on a value too large for the environment before writing anything, and writes it to a file alone", () => {
    const big = "x".repeat(200 * 1024);
    failsWith("KB_EXPORT_TOO_LARGE", /^BIG \(200 KiB\) is over .*export-file and export-env: false$/, () => exportSecrets([secret("A", "1"), secret("BIG", big)], everything));
    assert.equal(written("GITHUB_ENV") + written("GITHUB_OUTPUT") + written("GITHUB_STATE"), "");
    const path = exportSecrets([secret("BIG", big)], { env: false, outputs: false, file: { name: "big.json", format: "json" } });
    assert.equal(JSON.parse(readFileSync(path!, "utf8")).BIG, big);
    assert.equal(written("GITHUB_ENV"), "");
  });

  it("fails on a name the runner cannot read back before writing anything", () => {
    failsWith("KB_NAME_INVALID", /^"DB<<X" cannot be written to the runner's files/, () => exportSecrets([secret("A", "1"), secret("DB<<X", "2")], { env: true, outputs: false, file: undefined }));
    assert.equal(written("GITHUB_ENV"), "");
  });
});
