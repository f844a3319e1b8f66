// `keybridge plan ... | head`: the reader closes the pipe after the first lines. The command must
// not print Node's stack trace for the failed write, and must end with the exit code it would
// have had, so that `--fail-on` still gates a pipeline.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

let work: string;
let head: string;

/** A document whose plan (every grant new) is far larger than a pipe's buffer. */
function largeDocument(grants: number): object {
  return {
    version: 1,
    backend: { type: "vault", mount: "secret", authPath: "jwt" },
    issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
    projects: [
      {
        name: "shop",
        environments: [{ name: "dev", protected: false }, { name: "prod", protected: true }],
        secrets: [{ name: "database", keys: ["password"] }],
        grants: Array.from({ length: grants }, (_, index) => ({
          id: `team-${String(index).padStart(4, "0")}`,
          principal: { kind: "sso-group", group: `okta:team-${index}` },
          environment: "prod",
          paths: ["database"],
          capabilities: ["read", "write"],
          tokenTtlSeconds: 600,
          tokenMaxTtlSeconds: 900,
          acknowledgements: [],
        })),
      },
    ],
  };
}

/** Runs keybridge; with `closeAfterFirstChunk` the reader stops after the first chunk of stdout. */
function keybridge(args: readonly string[], closeAfterFirstChunk: boolean): Promise<{ code: number | null; stdoutBytes: number; stderr: string }> {
  const line = keybridgeCommandLine(args);
  const child = spawn(line.command, [...line.args], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
  let stdoutBytes = 0;
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdout.on("data", (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (closeAfterFirstChunk) child.stdout.destroy();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdoutBytes, stderr });
    });
  });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "kb-pipe-"));
  head = join(work, "keybridge.policy.json");
  writeFileSync(head, JSON.stringify(largeDocument(400)));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("keybridge writing to a pipe the reader closed", () => {
  it("stops without a stack trace and keeps the exit code --fail-on gives", async () => {
    const args = ["plan", "--base", "none", "--head", head, "--format", "json", "--fail-on", "high"];
    const whole = await keybridge(args, false);
    assert.equal(whole.code, 2, whole.stderr);
    assert.ok(whole.stdoutBytes > 256 * 1024, `the plan is ${whole.stdoutBytes} bytes: too small to fill a pipe`);
    const cut = await keybridge(args, true);
    assert.ok(cut.stdoutBytes < whole.stdoutBytes, "the reader closed the pipe before the end");
    assert.equal(cut.stderr, "");
    assert.equal(cut.code, whole.code);
  });
});
