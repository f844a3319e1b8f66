// The errors a Vault API handler can raise. Each carries the HTTP status and the `errors` list
// that Vault puts in its `{"errors":[…]}` body, with Vault's own wording.
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

export class VaultError extends KeybridgeError {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super("KB_DEV_VAULT_REQUEST", errors.join("; ") || `status ${status}`);
  }
}

/** A token that is missing, unknown, expired or revoked. */
export function permissionDenied(): VaultError {
  return new VaultError(403, ["permission denied"]);
}

/** An ACL refusal: Vault wraps it in a multierror, so clients see this exact text. */
export function aclDenied(): VaultError {
  return new VaultError(403, ["1 error occurred:\n\t* permission denied\n\n"]);
}

export function badRequest(message: string): VaultError {
  return new VaultError(400, [message]);
}

/** A path that exists nowhere, or a read/list that found nothing: 404 with an empty list. */
export function notFound(): VaultError {
  return new VaultError(404, []);
}

export function noHandler(path: string): VaultError {
  return new VaultError(404, [`no handler for route "${path}". route entry not found.`]);
}

export function unsupportedOperation(): VaultError {
  return new VaultError(405, ["1 error occurred:\n\t* unsupported operation\n\n"]);
}
