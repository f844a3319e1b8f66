// Hands the selected secrets to later steps, all or nothing: every value is masked before this
// runs, and nothing is written until every destination was found writable and every payload was
// built (names, delimiters, sizes, the file's text). Each destination then gets one write.
import { accessSync, chmodSync, constants, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { appendFileCommandText, fileCommandPath, formatFileCommand, formatFileCommands, saveState } from "./runner-protocol/file-commands.ts";
import { formatDotenv, formatJson } from "../client/dotenv.ts";
import { checkEnvironmentSize } from "../client/environment-limits.ts";
import type { ExportFile } from "./inputs.ts";
import type { SelectedSecret } from "../client/select-secrets.ts";
import { stateKeys } from "./state.ts";

export interface ExportTargets {
  readonly env: boolean;
  readonly outputs: boolean;
  readonly file: ExportFile | undefined;
  /** Infisical's export-type file: a dotenv file at this path inside $GITHUB_WORKSPACE. */
  readonly workspaceFile?: string | undefined;
}

/** Writes Infisical/secrets-action's file (KEY='value' lines) where that action writes it; post deletes it. */
function writeWorkspaceFile(relativePath: string, secrets: readonly SelectedSecret[]): string {
  const workspace = process.env.GITHUB_WORKSPACE;
  if (!workspace) {
    throw new KeybridgeError("KB_EXPORT_FAILED", "GITHUB_WORKSPACE is not set, so file-output-path has no workspace to go in; run on a GitHub runner or use export-type: env");
  }
  const path = `${workspace}${relativePath}`;
  saveState(stateKeys.workspaceFiles, JSON.stringify([path]));
  // Lines joined by newlines with none at the end, as Infisical's action writes them.
  const text = formatDotenv(secrets.map((secret) => [secret.envName, secret.value] as const)).replace(/\n$/, "");
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

type Entry = readonly [string, string];

/** RUNNER_TEMP, checked to be a directory this step can write to. */
function runnerTempDirectory(): string {
  const runnerTemp = process.env.RUNNER_TEMP;
  if (!runnerTemp) {
    throw new KeybridgeError("KB_EXPORT_FAILED", "RUNNER_TEMP is not set, so export-file has nowhere safe to go; nothing was exported; run on a GitHub runner or drop export-file");
  }
  try {
    if (!statSync(runnerTemp).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    accessSync(runnerTemp, constants.W_OK);
  } catch (error) {
    throw new KeybridgeError("KB_EXPORT_FAILED",
      `RUNNER_TEMP (${runnerTemp}) is not a directory this step can write to (${(error as NodeJS.ErrnoException).code ?? "unusable"}); nothing was exported; fix the runner's temporary directory or drop export-file`);
  }
  return runnerTemp;
}

/** Every check that can fail, and every payload, before the first write. */
function prepare(secrets: readonly SelectedSecret[], targets: ExportTargets, outputs: readonly Entry[]) {
  const envEntries: Entry[] = targets.env ? secrets.map((secret) => [secret.envName, secret.value]) : [];
  const outputEntries: Entry[] = [...(targets.outputs ? secrets.map((secret): Entry => [secret.outputName, secret.value]) : []), ...outputs];
  const destinations = {
    env: targets.env ? fileCommandPath("GITHUB_ENV") : undefined,
    output: fileCommandPath("GITHUB_OUTPUT"),
    state: targets.file ? fileCommandPath("GITHUB_STATE") : undefined,
    runnerTemp: targets.file ? runnerTempDirectory() : undefined,
  };
  if (targets.env) {
    checkEnvironmentSize(envEntries, process.env, {
      consequence: "nothing was exported",
      fix: "give large values a step of their own with export-file and export-env: false",
    });
  }
  // Formatting throws for a name or value the runner could not read back, so it is done here,
  // once: these texts are what gets written.
  const envText = formatFileCommands(envEntries);
  const outputText = formatFileCommands(outputEntries);
  const fileEntries = secrets.map((secret): Entry => [secret.envName, secret.value]);
  const fileText = targets.file ? (targets.file.format === "json" ? formatJson(fileEntries) : formatDotenv(fileEntries)) : undefined;
  return { envText, outputText, destinations, fileText };
}

/** Writes the export file in a private 0700 directory under RUNNER_TEMP; returns its path. */
function writeExportFile(runnerTemp: string, name: string, text: string): string {
  const directory = mkdtempSync(join(runnerTemp, "keybridge-"));
  // Recorded before the write, so that post removes it whatever happens next.
  saveState(stateKeys.cleanupPaths, JSON.stringify([directory]));
  const path = join(directory, name);
  writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  return path;
}

/**
 * Exports to every enabled target, and sets `outputs` (names and facts, never values) with them;
 * returns the export file's path, if one was written (also set as the `file` output).
 */
export function exportSecrets(secrets: readonly SelectedSecret[], targets: ExportTargets, outputs: readonly Entry[] = []): string | undefined {
  const prepared = prepare(secrets, targets, outputs);
  const { runnerTemp } = prepared.destinations;
  const path = targets.file && runnerTemp !== undefined && prepared.fileText !== undefined ? writeExportFile(runnerTemp, targets.file.name, prepared.fileText) : undefined;
  const workspacePath = targets.workspaceFile ? writeWorkspaceFile(targets.workspaceFile, secrets) : undefined;
  const { env, output } = prepared.destinations;
  if (env !== undefined) appendFileCommandText(env, prepared.envText);
  appendFileCommandText(output, prepared.outputText + (path ? formatFileCommand("file", path) : ""));
  return path ?? workspacePath;
}
