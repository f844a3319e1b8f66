// The constructs under cdktn, the maintained fork of the archived cdktf, with no patch of module
// resolution: picked by KEYBRIDGE_CDK, or found because cdktf is not installed. The same app must
// synthesize the same JSON.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./support/synth-fixture.ts", import.meta.url));
const hideCdktf = new URL("./support/hide-cdktf.mjs", import.meta.url).href;

interface Synthesized { terraform: string; policy: string; framework: string }

function synth(preload: string[], cdk?: string): Synthesized {
  const env = { ...process.env };
  delete env.KEYBRIDGE_CDK;
  if (cdk) env.KEYBRIDGE_CDK = cdk;
  const result = spawnSync(process.execPath, [...preload, "--import", "tsx", script], { encoding: "utf8", timeout: 60_000, env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Synthesized;
}

function assertSameSynth(cdktn: Synthesized, cdktf: Synthesized): void {
  assert.equal(cdktf.framework, "cdktf");
  assert.equal(cdktn.framework, "cdktn", "the cdktn run must really run on cdktn");
  // cdktf prints an empty provider block as "{\n}" and cdktn as "{}": compare the JSON, not the bytes.
  assert.deepEqual(JSON.parse(cdktn.terraform), JSON.parse(cdktf.terraform));
  assert.equal(cdktn.policy, cdktf.policy);
}

describe("cdktn compatibility", () => {
  const cdktf = synth([]);

  it("synthesizes the same Terraform JSON and policy document under cdktn chosen with KEYBRIDGE_CDK", () => {
    assertSameSynth(synth([], "cdktn"), cdktf);
  });

  it("falls back to cdktn when cdktf is not installed", () => {
    assertSameSynth(synth(["--import", hideCdktf]), cdktf);
  });

  it("refuses an unknown KEYBRIDGE_CDK with a KB_USAGE error", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000, env: { ...process.env, KEYBRIDGE_CDK: "aws-cdk" } });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /KEYBRIDGE_CDK is "aws-cdk"; set it to cdktf or cdktn/);
    assert.match(result.stderr, /code: 'KB_USAGE'/);
  });
});
