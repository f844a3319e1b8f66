// Vault's userpass method: the user's name in the login path, the password in the body (given, in
// a file, or in VAULT_PASSWORD), at the userpass mount unless configured otherwise.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { credential, type CredentialSource } from "./credential.ts";
import { vaultOnly } from "./backend-only.ts";

export interface PasswordSettings {
  readonly username: string;
  readonly password?: CredentialSource | undefined;
  readonly path?: string | undefined;
}

/** userpass and LDAP send the same request; they differ in their mount and in what to check. */
export interface PasswordMethod {
  readonly what: string;
  readonly mount: string;
  readonly advice: (username: string) => string;
}

const userpass: PasswordMethod = { what: "userpass", mount: "userpass", advice: (username) => `check the username "${username}" and the password` };

export function passwordLogin(method: PasswordMethod, backend: SecretsBackend, settings: PasswordSettings, context: LoginContext): Promise<Session> {
  const vault = vaultOnly(backend, method.what);
  const password = credential(`${method.what} password`, settings.password ?? {}, context.env, "VAULT_PASSWORD");
  context.onCredential?.(password);
  return vault.login({ what: method.what, mount: settings.path ?? method.mount, user: settings.username, body: { password }, advice: method.advice(settings.username) });
}

export function target(settings: PasswordSettings): LoginTarget {
  return { authPath: settings.path ?? userpass.mount };
}

export function login(backend: SecretsBackend, settings: PasswordSettings, context: LoginContext): Promise<Session> {
  return passwordLogin(userpass, backend, settings, context);
}
