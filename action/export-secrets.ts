// Hands the selected secrets to later steps, all or nothing: every value is masked before this
// runs, and nothing is written until every requested secret was read and named.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { exportVariable, saveState, setOutput } from "./runner-protocol/file-commands.ts";
import { formatDotenv, formatJson } from "../client/dotenv.ts";
import type { ExportFile } from "./inputs.ts";
import type { SelectedSecret } from "../client/select-secrets.ts";
import { stateKeys } from "./state.ts";

export interface ExportTargets {
  readonly env: boolean;
  readonly outputs: boolean;
  readonly file: ExportFile | undefined;
}

/** Writes the export file in a private 0700 directory under RUNNER_TEMP; returns its path. */
function writeExportFile(file: ExportFile, secrets: readonly SelectedSecret[]): string {
  const runnerTemp = process.env.RUNNER_TEMP;
  if (!runnerTemp) {
    throw new KeybridgeError("KB_EXPORT_FAILED", "RUNNER_TEMP is not set, so export-file has nowhere safe to go; run on a GitHub runner or drop export-file");
  }
  const entries = secrets.map((secret) => [secret.envName, secret.value] as const);
  const text = file.format === "json" ? formatJson(entries) : formatDotenv(entries);
  const directory = mkdtempSync(join(runnerTemp, "keybridge-"));
  // Recorded before the write, so that post removes it whatever happens next.
  saveState(stateKeys.cleanupPaths, JSON.stringify([directory]));
  const path = join(directory, file.name);
  writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  return path;
}

/** Exports to every enabled target; returns the export file's path, if one was written. */
export function exportSecrets(secrets: readonly SelectedSecret[], targets: ExportTargets): string | undefined {
  const path = targets.file ? writeExportFile(targets.file, secrets) : undefined;
  for (const secret of secrets) {
    if (targets.env) exportVariable(secret.envName, secret.value);
    if (targets.outputs) setOutput(secret.outputName, secret.value);
  }
  return path;
}
