// Every failure a user can meet carries a stable code (tests and docs refer to it) and a one-line
// message: what was wrong, the value that was wrong (never a secret), and what to do.

export type ErrorCode =
  | "KB_INPUT_INVALID"
  | "KB_NOT_ON_RUNNER"
  | "KB_OIDC_MISSING_PERMISSION"
  | "KB_OIDC_REQUEST_FAILED"
  | "KB_LOGIN_REFUSED"
  | "KB_READ_FAILED"
  | "KB_SECRET_NOT_FOUND"
  | "KB_SECRET_HIDDEN"
  | "KB_ROTATION_OVERDUE"
  | "KB_HTTP_FAILED"
  | "KB_EXPORT_FAILED"
  | "KB_COMMENT_FAILED"
  | "KB_RENEW_FAILED"
  | "KB_PLAN_RISK";

export class KeybridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KeybridgeError";
  }
}

/** One line for the log: our own errors as they are, anything unexpected with its message only. */
export function describeError(error: unknown): string {
  if (error instanceof KeybridgeError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${message.split("\n")[0]}`;
}
