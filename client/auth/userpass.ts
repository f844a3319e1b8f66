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

export function target(settings: PasswordSettings): LoginTarget {
  return { authPath: settings.path ?? "userpass" };
}

export async function login(backend: SecretsBackend, settings: PasswordSettings, context: LoginContext): Promise<Session> {
  const vault = vaultOnly(backend, "userpass");
  const password = credential("userpass password", settings.password ?? {}, context.env, "VAULT_PASSWORD");
  context.onCredential?.(password);
  return vault.login({ what: "userpass", mount: settings.path ?? "userpass", user: settings.username, body: { password }, advice: `check the username "${settings.username}" and the password` });
}
