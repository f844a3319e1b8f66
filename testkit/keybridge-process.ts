// How tests, suites, benchmarks and the demo start the `keybridge` command as a user would: node
// running bin/keybridge.ts through tsx, so that one module names the CLI's entry file.
import { fileURLToPath } from "node:url";

export const keybridgeEntry = fileURLToPath(new URL("../bin/keybridge.ts", import.meta.url));

export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/** `keybridge ARGS` as a command and its arguments, for spawn or execFile. */
export function keybridgeCommandLine(args: readonly string[]): CommandLine {
  return { command: process.execPath, args: ["--import", import.meta.resolve("tsx"), keybridgeEntry, ...args] };
}
