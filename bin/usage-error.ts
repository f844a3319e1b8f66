// A mistake in how a command was called: reported as one line, exit code 2. Its code is KB_USAGE
// unless the mistake has a more telling one (a --terraform-plan that is not a plan).
import { isKeybridgeError, KeybridgeError, type ErrorCode } from "../policy/errors/keybridge-error.ts";

export class UsageError extends KeybridgeError {
  override readonly name = "UsageError";

  constructor(message: string, code: ErrorCode = "KB_USAGE") {
    super(code, message);
  }
}

/** Whether `error` is a UsageError, from this copy of the module or another (see isKeybridgeError). */
export const isUsageError = (error: unknown): error is UsageError => isKeybridgeError(error) && error.name === "UsageError";
