// Vault's LDAP method: the same request as userpass, at the ldap mount unless configured
// otherwise; the directory checks the password and its groups map to policies.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { credential } from "./credential.ts";
import type { PasswordSettings } from "./userpass.ts";
import { vaultOnly } from "./backend-only.ts";

export function target(settings: PasswordSettings): LoginTarget {
  return { authPath: settings.path ?? "ldap" };
}

export async function login(backend: SecretsBackend, settings: PasswordSettings, context: LoginContext): Promise<Session> {
  const vault = vaultOnly(backend, "LDAP");
  const password = credential("LDAP password", settings.password ?? {}, context.env, "VAULT_PASSWORD");
  context.onCredential?.(password);
  return vault.login({
    what: "LDAP", mount: settings.path ?? "ldap", user: settings.username, body: { password },
    advice: `check the username "${settings.username}" and the password against the directory, and that the user or its groups map to policies`,
  });
}
