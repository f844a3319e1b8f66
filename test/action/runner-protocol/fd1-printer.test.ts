// The Action's steps print through printToFileDescriptor(): lines gathered per turn of the event
// loop and written to fd 1. Run in a child process whose stdout is a pipe, as the runner's is.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const commands = fileURLToPath(new URL("../../../action/runner-protocol/workflow-commands.ts", import.meta.url));

/** Runs `body` in a child that printed nothing yet; `commands` is the module under test. */
function runChild(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `const commands = await import(${JSON.stringify(commands)});\ncommands.printToFileDescriptor();\n${body}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

describe("printing to file descriptor 1", () => {
  it("keeps the order of lines printed across turns of the event loop, with masks and annotations", async () => {
    const run = await runChild(`
commands.info("first");
commands.addMask("hidden-value");
await new Promise((resolve) => setImmediate(resolve));
commands.warning("second: 100%");
await Promise.resolve();
commands.info("third");
setTimeout(() => commands.error("fourth"), 5);
`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "first\n::add-mask::hidden-value\n::warning::second: 100%25\nthird\n::error::fourth\n");
  });

  it("writes what was printed in the turn that calls process.exit", async () => {
    const run = await runChild(`
commands.info("before exit");
commands.error("failed");
process.exit(3);
`);
    assert.equal(run.code, 3);
    assert.equal(run.stdout, "before exit\n::error::failed\n");
  });

  it("writes a turn's several megabytes of lines whole and in order, more than a pipe holds", async () => {
    const run = await runChild(`
for (let i = 0; i < 40000; i++) commands.info(\`line \${i} \${"x".repeat(60)}\`);
`);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.equal(lines.length, 40_001);
    assert.equal(lines.at(-1), "");
    lines.slice(0, -1).forEach((line, i) => assert.equal(line, `line ${i} ${"x".repeat(60)}`));
  });
});
