// Any other Vault auth method (cert, radius, …): vault-action's authPayload posted as it is to
// auth/<path or method>/login.
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithPayload(backend: VaultBackend, _context: LoginContext, method: string, mount: string, payload: Readonly<Record<string, unknown>>): Promise<Session> {
  return backend.login({ what: method, mount, body: payload, advice: `check authPayload against what the ${method} method expects` });
}
