// Infisical's error envelope: every error answers {reqId, statusCode, message, error}, where
// `error` is the name clients switch on (UnauthorizedError, PermissionDenied, ...) and `message`
// is one line, or for a 422 the list of zod issues. Messages start with Infisical's own wording
// and then say what to do; none ever holds a secret value or a token.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { randomBytes } from "node:crypto";

/** A zod (v3-shaped) issue, as Infisical's 422 lists them. */
export interface ValidationIssue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly [extra: string]: unknown;
}

export class InfisicalError extends KeybridgeError {
  constructor(
    readonly status: number,
    readonly errorName: string,
    readonly detail: string | readonly ValidationIssue[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super("KB_DEV_INFISICAL_REQUEST", typeof detail === "string" ? detail : `${detail.length} validation issue(s)`);
  }
}

export const badRequest = (message: string) => new InfisicalError(400, "BadRequest", message);
export const unauthorized = (message: string) => new InfisicalError(401, "UnauthorizedError", message);
/** ForbiddenRequestError: a refusal that is not a permission rule (an OIDC subject mismatch, a reference). */
export const forbidden = (message: string) => new InfisicalError(403, "ForbiddenError", message);
/** A CASL refusal: no rule of the identity's project roles grants the action. */
export const permissionDenied = (message: string) => new InfisicalError(403, "PermissionDenied", message);
export const notFound = (message: string) => new InfisicalError(404, "NotFound", message);
export const validationFailure = (issues: readonly ValidationIssue[]) => new InfisicalError(422, "ValidationFailure", issues);

export function rateLimited(retryAfterSeconds: number): InfisicalError {
  return new InfisicalError(429, "RateLimitExceeded", `Rate limit exceeded. Please try again in ${retryAfterSeconds} seconds`, {
    "Retry-After": String(retryAfterSeconds),
  });
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** "req-" and 14 alphanumerics, the shape of Infisical's request ids. */
export function newRequestId(): string {
  return `req-${[...randomBytes(14)].map((byte) => alphabet[byte % alphabet.length]).join("")}`;
}

export function errorBody(reqId: string, error: InfisicalError): Record<string, unknown> {
  return { reqId, statusCode: error.status, message: error.detail, error: error.errorName };
}
