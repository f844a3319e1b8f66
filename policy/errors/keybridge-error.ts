// Every failure a user can meet carries a stable code (workflows, tests and docs/ERRORS.md refer to
// it) and a one-line message: what was wrong, the value that was wrong (never a secret), and what
// to do. The line a user sees is `CODE: message`. The code table is in codes.ts; only its type is
// imported here, so the Action's bundle does not carry the table's prose.
import type { ErrorCode } from "./codes.ts";

export type { ErrorCode } from "./codes.ts";

export class KeybridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

// Known by a mark rather than by class: each command of the `keybridge` CLI is a bundle with a copy
// of this module, and the table of commands that reports their errors has its own.
const mark = Symbol.for("keybridge.error");
Object.defineProperty(KeybridgeError.prototype, mark, { value: true });

/** Whether `error` is a KeybridgeError, from this copy of the module or another. */
export function isKeybridgeError(error: unknown): error is KeybridgeError {
  return typeof error === "object" && error !== null && (error as { [mark]?: unknown })[mark] === true;
}

/** A subclass whose errors all carry one code: `class StoreError extends withCode("KB_…") {}`. */
export function withCode(code: ErrorCode) {
  return class extends KeybridgeError {
    constructor(message: string, options?: ErrorOptions) {
      super(code, message, options);
    }
  };
}

/** The start of each line that does not begin with a code already. */
const uncodedLine = /^(?!KB_[A-Z0-9_]+: )/gm;

/**
 * The lines a user sees: each starts with a code. A message that gathers other errors' lines
 * (one per failed read) keeps their codes; its own lines get its own.
 */
export function describeError(error: unknown): string {
  if (isKeybridgeError(error)) {
    return error.message.replace(uncodedLine, `${error.code}: `);
  }
  const message = error instanceof Error ? error.message : String(error);
  return `KB_INTERNAL: unexpected error: ${message.split("\n")[0]}`;
}
