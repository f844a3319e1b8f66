// The runner's file protocol: a step hands environment variables, outputs and state to the runner
// by appending to the files named in GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STATE.
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

type FileCommand = "GITHUB_ENV" | "GITHUB_OUTPUT" | "GITHUB_STATE";

/** `NAME<<DELIMITER` heredoc form: safe for multi-line values, which `NAME=value` is not. */
export function formatFileCommand(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new KeybridgeError("KB_EXPORT_FAILED", `the value of ${name} contains the file-command delimiter; it cannot be exported safely`);
  }
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export function appendFileCommand(command: FileCommand, name: string, value: string): void {
  const path = process.env[command];
  if (!path) {
    throw new KeybridgeError("KB_NOT_ON_RUNNER", `${command} is not set: run Keybridge as a step of a GitHub Actions job (or through dev/runner locally)`);
  }
  appendFileSync(path, formatFileCommand(name, value), { encoding: "utf8" });
}

export function exportVariable(name: string, value: string): void {
  appendFileCommand("GITHUB_ENV", name, value);
}

export function setOutput(name: string, value: string): void {
  appendFileCommand("GITHUB_OUTPUT", name, value);
}

export function saveState(name: string, value: string): void {
  appendFileCommand("GITHUB_STATE", name, value);
}

/** State saved by main reaches post as STATE_<name>. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? "";
}

/** Markdown for the job summary page; silently skipped where the runner gives no summary file. */
export function appendSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (path) appendFileSync(path, markdown.endsWith("\n") ? markdown : `${markdown}\n`, { encoding: "utf8" });
}

/** An input as the runner passes it: INPUT_<NAME> with spaces as underscores, upper-cased, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
