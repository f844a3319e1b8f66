// Vault's AppRole method: a role id and, unless the role has bind_secret_id false, a secret id.
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithAppRole(backend: VaultBackend, context: LoginContext, mount: string, roleId: string, secretId: string | undefined): Promise<Session> {
  if (secretId !== undefined) context.mask(secretId);
  return backend.loginWithAppRole(roleId, secretId, mount);
}
