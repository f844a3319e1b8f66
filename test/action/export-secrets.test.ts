import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { exportSecrets } from "../../action/export-secrets.ts";
import type { SelectedSecret } from "../../client/select-secrets.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { runAsStep } from "./support/runner-files.ts";

const secrets: SelectedSecret[] = [
  { envName: "DB_PASSWORD", outputName: "db_password", value: "p'a\"s s\nline two", path: "secret/data/db", key: "password", nameFrom: "workflow" },
  { envName: "API_KEY", outputName: "apiKey", value: "k", path: "secret/data/api", key: "apiKey", nameFrom: "workflow" },
];

describe("exporting secrets", () => {
  it("exports each value as an environment variable and a step output, multi-line values intact", async () => {
    const run = await runAsStep(() => exportSecrets(secrets, { env: true, outputs: true, file: undefined }));
    assert.equal(run.failure, undefined);
    assert.deepEqual([...run.env], [["DB_PASSWORD", "p'a\"s s\nline two"], ["API_KEY", "k"]]);
    assert.deepEqual([...run.outputs], [["db_password", "p'a\"s s\nline two"], ["apiKey", "k"]]);
  });

  it("writes a dotenv file, mode 0600, in a private directory under RUNNER_TEMP that post will remove", async () => {
    let written = "";
    let mode = 0;
    const run = await runAsStep(() => {
      const path = exportSecrets(secrets, { env: false, outputs: false, file: { name: "ci.env", format: "dotenv" } })!;
      written = readFileSync(path, "utf8");
      mode = statSync(path).mode & 0o777;
      assert.equal(dirname(dirname(path)), process.env.RUNNER_TEMP);
    });
    assert.equal(run.failure, undefined);
    assert.equal(mode, 0o600);
    assert.equal(written, "DB_PASSWORD='p'\\''a\"s s\nline two'\nAPI_KEY='k'\n");
    assert.deepEqual(JSON.parse(run.state.get("cleanup-paths")!).map((path: string) => dirname(path)), [run.runnerTemp]);
    assert.equal(run.env.size, 0);
  });

  it("writes a JSON file that reads back to exactly the values", async () => {
    let parsed: unknown;
    await runAsStep(() => {
      parsed = JSON.parse(readFileSync(exportSecrets(secrets, { env: false, outputs: false, file: { name: "s.json", format: "json" } })!, "utf8"));
    });
    assert.deepEqual(parsed, { DB_PASSWORD: "p'a\"s s\nline two", API_KEY: "k" });
  });

  it("fails without RUNNER_TEMP and exports nothing when a file is asked for", async () => {
    const run = await runAsStep(() => exportSecrets(secrets, { env: true, outputs: true, file: { name: "ci.env", format: "dotenv" } }), { RUNNER_TEMP: undefined });
    assert.ok(run.failure instanceof KeybridgeError && run.failure.code === "KB_EXPORT_FAILED", String(run.failure));
    assert.equal(run.env.size + run.outputs.size, 0);
  });
});
