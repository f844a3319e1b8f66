// `keybridge synth` and `keybridge plan` as a user runs them: processes, no terraform on PATH.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { widenProductionGrant, writeVariant } from "../../testkit/example-variants.ts";
import { keybridgeCommandLine } from "../../testkit/keybridge-process.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = keybridgeCommandLine([]);
const exampleApp = join(root, "examples", "ml-platform", "main.ts");
let widened: { app: string; remove: () => void };
let work: string;

/** Runs keybridge with only node's own directory on PATH, so no terraform (or cdktf CLI) is reachable. */
async function keybridge(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cli.command, [...cli.args, ...args], {
      cwd: work,
      env: { PATH: dirname(process.execPath), HOME: work },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const stackFile = (out: string, name: string) => readFileSync(join(work, out, "stacks", "secrets", name), "utf8");

before(() => {
  work = mkdtempSync(join(tmpdir(), "kb-cli-"));
  widened = writeVariant("cli-widened", widenProductionGrant);
});

after(() => {
  widened.remove();
  rmSync(work, { recursive: true, force: true });
});

describe("keybridge synth", () => {
  it("synthesizes the example without terraform, byte-identical on a second run", async () => {
    const first = await keybridge("synth", exampleApp, "--out", "first");
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^secrets: .*cdk\.tf\.json \(\d+ resources\), .*keybridge\.policy\.json$/m);
    const second = await keybridge("synth", exampleApp, "--out", "second");
    assert.equal(second.code, 0, second.stderr);
    for (const file of ["cdk.tf.json", "keybridge.policy.json"]) assert.equal(stackFile("second", file), stackFile("first", file), `${file} differs`);
  });

  it("names the operator manifests it wrote for the example's clusters, byte-identical on a second run", async () => {
    const first = await keybridge("synth", exampleApp, "--out", "manifests-first");
    assert.match(first.stdout, /^secrets: operator manifests .*kubernetes\/gpu-dev\.yaml, .*kubernetes\/gpu-prod\.yaml$/m);
    await keybridge("synth", exampleApp, "--out", "manifests-second");
    for (const file of ["kubernetes/gpu-dev.yaml", "kubernetes/gpu-prod.yaml"]) assert.equal(stackFile("manifests-second", file), stackFile("manifests-first", file), `${file} differs`);
  });

  it("fails with one line per validation error, naming the construct, without a stack trace", async () => {
    const broken = writeVariant("cli-broken", (source) => source.replace('environment: "prod", paths: ["database", "api"]', 'environment: "prd", paths: ["database", "api"]'));
    try {
      const result = await keybridge("synth", broken.app, "--out", "broken");
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^keybridge synth: KB_SYNTH_INVALID: \[secrets\/platform\/ml-training\/ci-prod\] environment "prd" is not an environment of project ml-training/m);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    } finally {
      broken.remove();
    }
  });

  it("fails with a usage line when the app does not exist", async () => {
    const result = await keybridge("synth", "nope.ts");
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "keybridge synth: KB_USAGE: the app nope.ts does not exist; give the path of the file that calls app.synth()\n");
  });
});

describe("keybridge plan", () => {
  before(async () => {
    assert.equal((await keybridge("synth", exampleApp, "--out", "base")).code, 0);
    assert.equal((await keybridge("synth", widened.app, "--out", "head")).code, 0);
  });

  it("prints the critical finding of a widened grant and exits 2 with --fail-on high", async () => {
    const result = await keybridge("plan", "--base", "base", "--head", "head", "--fail-on", "high");
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stdout, /CRITICAL\s+KB101\s+acme\/training on any branch may now read ml-training\/prod\/api and ml-training\/prod\/database \(before: only refs\/heads\/main/);
  });

  it("exits 0 without --fail-on, and on an unchanged policy", async () => {
    assert.equal((await keybridge("plan", "--base", "base", "--head", "head")).code, 0);
    const same = await keybridge("plan", "--base", "base", "--head", "base", "--fail-on", "info");
    assert.equal(same.code, 0);
    assert.match(same.stdout, /No changes to secret access/);
  });

  it("writes a pull request comment in markdown and a machine-readable JSON", async () => {
    const markdown = await keybridge("plan", "--base", "base", "--head", "head", "--format", "markdown");
    assert.match(markdown.stdout, /^<!-- keybridge-plan:secrets -->\n/);
    const json = JSON.parse((await keybridge("plan", "--base", "base", "--head", "head", "--format", "json")).stdout);
    assert.equal(json.highest, "critical");
  });

  it("fails with one line when a document is missing or invalid", async () => {
    const missing = await keybridge("plan", "--base", "nowhere", "--head", "head");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^keybridge plan: KB_INPUT_INVALID: --base nowhere: does not exist; give keybridge\.policy\.json/);
    writeFileSync(join(work, "bad.json"), '{"version":1,"projects":[]}');
    const invalid = await keybridge("plan", "--base", "bad.json", "--head", "head");
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /--base bad\.json: is not a valid policy document: \$\.backend: /);
    assert.equal(invalid.stderr.trim().split("\n").length, 1);
  });
});
