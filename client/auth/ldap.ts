// Vault's LDAP method: the same request as userpass, at the ldap mount unless configured
// otherwise; the directory checks the password and its groups map to policies.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { passwordLogin, type PasswordMethod, type PasswordSettings } from "./userpass.ts";

const ldap: PasswordMethod = {
  what: "LDAP",
  mount: "ldap",
  advice: (username) => `check the username "${username}" and the password against the directory, and that the user or its groups map to policies`,
};

export function target(settings: PasswordSettings): LoginTarget {
  return { authPath: settings.path ?? ldap.mount };
}

export function login(backend: SecretsBackend, settings: PasswordSettings, context: LoginContext): Promise<Session> {
  return passwordLogin(ldap, backend, settings, context);
}
