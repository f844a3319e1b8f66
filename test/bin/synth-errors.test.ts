// `keybridge synth` on apps that fail: each failure is one line with a stable code, the file and
// line of the user's code, and the message; plain JavaScript apps synthesize too.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const provider = pathToFileURL(join(root, "provider", "index.ts")).href;
let work: string;

async function synth(app: string): Promise<{ code: number; stderr: string }> {
  try {
    const { command, args } = keybridgeCommandLine(["synth", app, "--out", "out"]);
    const { stderr } = await promisify(execFile)(command, [...args], { cwd: work, timeout: 60_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

function writeApp(name: string, lines: string[]): string {
  writeFileSync(join(work, name), `${lines.join("\n")}\n`);
  return name;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "kb-synth-errors-"));
  writeFileSync(join(work, "package.json"), '{ "type": "module" }\n');
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("keybridge synth: failing apps", () => {
  it("names file, line and column of a TypeScript syntax error", async () => {
    const app = writeApp("syntax.ts", [`import { App } from "${provider}";`, "const app = new App();", "const broken = {;", "app.synth();"]);
    const result = await synth(app);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'keybridge synth: KB_SYNTH_APP_FAILED: syntax.ts:3:17: syntax error: Expected identifier but found ";"\n');
  });

  it("names the line of the app's code that threw, in the TypeScript source", async () => {
    const app = writeApp("throws.ts", [`import { App } from "${provider}";`, "", "const app: InstanceType<typeof App> = new App();", "", "throw new Error(`no stack named ${String(app.node.id)}`);"]);
    const result = await synth(app);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "keybridge synth: KB_SYNTH_APP_FAILED: throws.ts:5: Error: no stack named \n");
  });

  it("names file and line of a JavaScript syntax error", async () => {
    const app = writeApp("syntax.mjs", ["const fine = 1;", "const broken = {;"]);
    const result = await synth(app);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "keybridge synth: KB_SYNTH_APP_FAILED: syntax.mjs:2: syntax error: Unexpected token ';'\n");
  });

  it("says so when the app never synthesizes", async () => {
    const result = await synth(writeApp("idle.mjs", ["export const nothing = 1;"]));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^keybridge synth: KB_SYNTH_APP_FAILED: .*idle\.mjs ran but wrote no manifest/);
  });
});

describe("keybridge synth: a plain JavaScript app", () => {
  it("synthesizes", async () => {
    const app = writeApp("app.mjs", [
      `import { App, TerraformStack, SecretsPlatform, VaultBackend } from "${provider}";`,
      "const app = new App();",
      'const platform = new SecretsPlatform(new TerraformStack(app, "secrets"), "platform", { backend: VaultBackend.kvV2() });',
      'platform.addProject("web", { environments: ["dev"] }).addSecret("db", { keys: ["password"] });',
      "app.synth();",
    ]);
    const result = await synth(app);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(work, "out", "stacks", "secrets", "keybridge.policy.json")));
  });
});
