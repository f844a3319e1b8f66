// The export file's text. dotenv lines use POSIX shell single quotes, the one quoting that keeps
// every value exact (newlines, quotes, $, backslashes) when read back with `set -a; . ./file`.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { isPortableName } from "./name-policy.ts";
import { visible } from "../policy/render/sanitize.ts";

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

type Entry = readonly [string, string];

/** Names were checked by the names policy; this guards the file format itself. */
function checkNames(entries: ReadonlyArray<Entry>, what: string): void {
  const bad = entries.find(([name]) => !isPortableName(name));
  if (bad) {
    throw new KeybridgeError("KB_NAME_INVALID",
      `${visible(bad[0], 80)} is not a valid name in ${what}; rename it with | NAME (names are portable variable names in env, outputs, dotenv and json files alike)`);
  }
}

export function formatDotenv(entries: ReadonlyArray<Entry>): string {
  checkNames(entries, "a dotenv file");
  return entries.map(([name, value]) => `${name}=${shellQuote(value)}\n`).join("");
}

/** `export NAME='value'` lines for `eval "$(keybridge env --format shell)"`. */
export function formatShellExports(entries: ReadonlyArray<Entry>): string {
  checkNames(entries, "a shell export");
  return entries.map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join("");
}

export function formatJson(entries: ReadonlyArray<Entry>): string {
  checkNames(entries, "the JSON file");
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}
