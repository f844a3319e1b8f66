// What an environment can hold. Linux starts no program whose environment holds one string over
// MAX_ARG_STRLEN (128 KiB, `NAME=value` and its NUL) or whose arguments and environment together
// pass ARG_MAX (E2BIG), and no environment string can hold a NUL byte. A secret exported past
// any of these would make every later step fail to start, so each is checked before anything is
// written: NUL bytes, each variable's size, and the whole environment against a budget that
// leaves room for the arguments.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";

/** MAX_ARG_STRLEN on Linux: 32 pages of 4 KiB. */
export const maxVariableBytes = 128 * 1024;
/** Half of the usual ARG_MAX (2 MiB with the default 8 MiB stack), the rest left to arguments. */
export const environmentBudgetBytes = 1024 * 1024;
/** The kernel also places a pointer to each string in the new process's memory. */
const pointerBytes = 8;

type Entry = readonly [name: string, value: string];

/** Bytes one variable takes in a new process: NAME=value, its NUL and its pointer. */
export function variableBytes(name: string, value: string): number {
  return Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1 + pointerBytes;
}

export interface SizeCheckOptions {
  /** What a refusal means for the caller: "nothing was exported". */
  readonly consequence: string;
  /** Where large values go instead: "export them with export-file". */
  readonly fix: string;
}

function kib(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}

/**
 * Refuses (one line, names and sizes, never values) when a variable is over the per-variable
 * limit or when `base` plus the exported variables is over the budget. `base` is the environment
 * the exported variables join; names that are exported replace the ones in it.
 */
export function checkEnvironmentSize(exported: readonly Entry[], base: Readonly<Record<string, string | undefined>>, options: SizeCheckOptions): void {
  const withNul = exported.filter(([, value]) => value.includes("\0"));
  if (withNul.length > 0) {
    throw new KeybridgeError("KB_EXPORT_FAILED",
      `${withNul.map(([name]) => name).join(", ")} ${withNul.length === 1 ? "holds" : "hold"} a NUL byte, which no environment variable can carry, so later programs would not start; ${options.consequence}; ${options.fix}`);
  }
  const tooLong = exported.filter(([name, value]) => variableBytes(name, value) - pointerBytes > maxVariableBytes);
  if (tooLong.length > 0) {
    const listed = tooLong.map(([name, value]) => `${name} (${kib(variableBytes(name, value) - pointerBytes)})`).join(", ");
    throw new KeybridgeError("KB_EXPORT_TOO_LARGE",
      `${listed} ${tooLong.length === 1 ? "is" : "are"} over the ${kib(maxVariableBytes)} Linux allows one environment variable, so every later program would fail to start (E2BIG); ${options.consequence}; ${options.fix}`);
  }
  const names = new Set(exported.map(([name]) => name));
  const kept = Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined && !names.has(entry[0]));
  const baseBytes = kept.reduce((sum, [name, value]) => sum + variableBytes(name, value), 0);
  const exportedBytes = exported.reduce((sum, [name, value]) => sum + variableBytes(name, value), 0);
  if (baseBytes + exportedBytes > environmentBudgetBytes) {
    const largest = [...exported].sort((a, b) => variableBytes(b[0], b[1]) - variableBytes(a[0], a[1])).slice(0, 5)
      .map(([name, value]) => `${name} ${kib(variableBytes(name, value))}`).join(", ");
    throw new KeybridgeError("KB_EXPORT_TOO_LARGE",
      `the environment would hold ${kib(baseBytes + exportedBytes)} (${kib(exportedBytes)} of secrets, largest ${largest}; ${kib(baseBytes)} already set), over the ${kib(environmentBudgetBytes)} budget that keeps later programs under ARG_MAX (E2BIG); ${options.consequence}; ${options.fix}`);
  }
}
