// Vault's LDAP method: the same request as userpass; the directory checks the password.
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithLdap(backend: VaultBackend, context: LoginContext, mount: string, username: string, password: string): Promise<Session> {
  context.mask(password);
  return backend.login({
    what: "LDAP", mount, user: username, body: { password },
    advice: `check the username "${username}" and the password against the directory, and that the user or its groups map to policies`,
  });
}
