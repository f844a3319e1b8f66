// Vault's AppRole, for machines outside GitHub Actions: a role id and a secret id (from a file or
// VAULT_SECRET_ID), at the approle mount unless configured otherwise.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { VaultBackend } from "../backends/vault.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import { readCredentialFile, type LoginContext, type LoginTarget } from "./auth-method.ts";

export interface AppRoleSettings {
  readonly roleId: string;
  /** The secret id itself (the Action's secretId input); else from the file or the variable. */
  readonly secretId?: string | undefined;
  readonly secretIdFile?: string | undefined;
  /** The environment variable holding the secret id, VAULT_SECRET_ID unless configured otherwise. */
  readonly secretIdEnv?: string | undefined;
  readonly path?: string | undefined;
}

export function target(settings: AppRoleSettings): LoginTarget {
  return { authPath: settings.path ?? "approle" };
}

export async function login(backend: SecretsBackend, settings: AppRoleSettings, context: LoginContext): Promise<Session> {
  if (!(backend instanceof VaultBackend)) throw new KeybridgeError("KB_INPUT_INVALID", "AppRole is a Vault/OpenBao method; use another --auth with Infisical");
  const secretId = settings.secretId ?? (settings.secretIdFile ? readCredentialFile("the AppRole secret id", settings.secretIdFile) : context.env[settings.secretIdEnv ?? "VAULT_SECRET_ID"]);
  if (secretId) context.onCredential?.(secretId);
  return backend.loginWithAppRole(settings.roleId, secretId, settings.path ?? "approle");
}
