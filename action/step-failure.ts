// How a step of the Action fails: one error annotation with the failure's coded line (never a
// stack trace), and exit code 1. Shared by main (fetch) and the plan and rotate steps, which are
// bundled apart from main (scripts/action-build-options.mjs), so each reports its own failures
// with its own copy of KeybridgeError.
import { describeError } from "../policy/errors/keybridge-error.ts";
import { error, printToFileDescriptor } from "./runner-protocol/workflow-commands.ts";

/** `record` sees the line first: vault-action's errorMessage output (error-message-output.ts). */
export function failStep(failure: unknown, record?: (message: string) => void): void {
  const message = describeError(failure);
  record?.(message);
  // One annotation, however many lines: the runner keeps an escaped line break inside it.
  error(message);
  process.exitCode = 1;
}

/**
 * A mode's step in its own bundle (plan, rotate): printing to fd 1 through that bundle's copy of
 * the printer, and never rejecting: a failure becomes the step's error annotation and exit code.
 */
export async function runModeStep(work: () => Promise<void>, record?: (message: string) => void): Promise<void> {
  printToFileDescriptor();
  try {
    await work();
  } catch (failure) {
    failStep(failure, record);
  }
}
