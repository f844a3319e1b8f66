// The export file's text. dotenv lines use POSIX shell single quotes, the one quoting that keeps
// every value exact (newlines, quotes, $, backslashes) when read back with `set -a; . ./file`.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

const shellName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function formatDotenv(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries
    .map(([name, value]) => {
      if (!shellName.test(name)) {
        throw new KeybridgeError("KB_EXPORT_FAILED",
          `${name} is not a valid name in a dotenv file; rename it with | NAME, or use export-file-format: json`);
      }
      return `${name}=${shellQuote(value)}\n`;
    })
    .join("");
}

export function formatJson(entries: ReadonlyArray<readonly [string, string]>): string {
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}
