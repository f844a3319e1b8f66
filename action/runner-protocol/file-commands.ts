// The runner's file protocol: a step hands environment variables, outputs and state to the runner
// by appending to the files named in GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STATE.
import { accessSync, appendFileSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { visible } from "../../policy/render/sanitize.ts";

export type FileCommand = "GITHUB_ENV" | "GITHUB_OUTPUT" | "GITHUB_STATE";

/**
 * A name the runner reads back as written: it splits `NAME<<DELIMITER` at the first `<<` and a
 * line at the first `=` (whichever comes first), and lines at LF.
 */
function checkName(name: string): void {
  if (name === "" || name.includes("=") || name.includes("<<") || /[\r\n]/.test(name)) {
    throw new KeybridgeError("KB_NAME_INVALID", `"${visible(name, 80)}" cannot be written to the runner's files: a name may not be empty or hold =, << or a line break; rename it with | NAME`);
  }
}

/**
 * `ghadelimiter_` and 128 random bits, a fresh one per pair. What keeps a value from ending its
 * heredoc early is formatFileCommand's check that the value does not hold the delimiter; the
 * random part only makes that refusal vanishingly rare, which Math.random does as well as
 * node:crypto, whose fifteen internal modules the step then never loads.
 */
function freshDelimiter(): string {
  let hex = "";
  for (let word = 0; word < 4; word++) hex += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0");
  return `ghadelimiter_${hex}`;
}

/** `NAME<<DELIMITER` heredoc form: safe for multi-line values, which `NAME=value` is not. */
export function formatFileCommand(name: string, value: string, delimiter = freshDelimiter()): string {
  checkName(name);
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new KeybridgeError("KB_EXPORT_FAILED", `the value of ${name} contains the file-command delimiter; it cannot be exported safely`);
  }
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** The file behind `command`, checked writable, before anything is written anywhere. */
export function fileCommandPath(command: FileCommand): string {
  const path = process.env[command];
  if (!path) {
    throw new KeybridgeError("KB_NOT_ON_RUNNER", `${command} is not set: run Keybridge as a step of a GitHub Actions job (or through dev/runner locally)`);
  }
  try {
    accessSync(existsSync(path) ? path : dirname(path), constants.W_OK);
  } catch (error) {
    throw new KeybridgeError("KB_EXPORT_FAILED", `${command} names ${path}, which cannot be written (${(error as NodeJS.ErrnoException).code ?? "not writable"}); check the runner's temporary directory`);
  }
  return path;
}

/** Several pairs as the one text appendFileCommands writes. */
export function formatFileCommands(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries.map(([name, value]) => formatFileCommand(name, value)).join("");
}

/** Text from formatFileCommands, appended in one write to a path fileCommandPath checked. */
export function appendFileCommandText(path: string, text: string): void {
  if (text !== "") appendFileSync(path, text, { encoding: "utf8" });
}

/** Appends several pairs in one write, so a file never holds half of them. */
export function appendFileCommands(command: FileCommand, entries: ReadonlyArray<readonly [string, string]>): void {
  const text = formatFileCommands(entries);
  if (text !== "") appendFileCommandText(fileCommandPath(command), text);
}

export function appendFileCommand(command: FileCommand, name: string, value: string): void {
  appendFileCommands(command, [[name, value]]);
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
