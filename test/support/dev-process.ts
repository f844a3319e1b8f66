// `keybridge dev` as a real process, loaded from a Terraform JSON document written to a temporary
// directory: what the drop-in end-to-end tests run the Action bundle against.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../testkit/launch-dev-backend.ts";

export interface TerraformProcess {
  readonly backend: RunningDevBackend;
  /** Stops the process (which must exit 0) and removes the directory. */
  close(): Promise<void>;
}

export async function launchFromTerraform(document: unknown, extraArgs: readonly string[] = []): Promise<TerraformProcess> {
  const directory = mkdtempSync(join(tmpdir(), "keybridge-dev-process-"));
  try {
    const file = join(directory, "main.tf.json");
    writeFileSync(file, JSON.stringify(document));
    const backend = await launchDevBackend([...extraArgs, "--terraform", file]);
    return {
      backend,
      async close() {
        try {
          assert.equal(await backend.stop(), 0);
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
