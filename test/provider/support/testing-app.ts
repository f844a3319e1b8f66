// cdktf's Testing.app() and Testing.synthScope() make an output directory (cdktf.outdir.*) in the
// temp directory and never remove it. These do the same with one that is removed when the test
// process exits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing, type App } from "../../../provider/cdk.ts";

const outdirs: string[] = [];
process.once("exit", () => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

export function testingApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), "cdktf.outdir."));
  outdirs.push(outdir);
  return Testing.app({ outdir });
}

/** Testing.synthScope with an output directory that does not outlive the process. */
export function synthScope(declare: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(testingApp(), "stack");
  declare(stack);
  return Testing.synth(stack);
}
