// Vault's userpass method: a user's name in the login path, the password in the body.
import type { VaultBackend } from "../backends/vault.ts";
import type { Session } from "../backends/backend.ts";
import type { LoginContext } from "./context.ts";

export function logInWithUserpass(backend: VaultBackend, context: LoginContext, mount: string, username: string, password: string): Promise<Session> {
  context.mask(password);
  return backend.login({ what: "userpass", mount, user: username, body: { password }, advice: `check the username "${username}" and the password` });
}
