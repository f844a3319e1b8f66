// Vault's AppRole, for machines outside GitHub Actions: a role id and a secret id (from a file or
// VAULT_SECRET_ID), at the approle mount unless configured otherwise.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { VaultBackend } from "../backends/vault.ts";
import { readCredentialFile, type AuthMethod } from "./auth-method.ts";

export interface AppRoleSettings {
  readonly roleId: string;
  readonly secretIdFile?: string | undefined;
  /** The environment variable holding the secret id, VAULT_SECRET_ID unless configured otherwise. */
  readonly secretIdEnv?: string | undefined;
  readonly path?: string | undefined;
}

export const approle: AuthMethod<AppRoleSettings> = {
  target: (settings) => ({ authPath: settings.path ?? "approle" }),
  async login(backend, settings, context) {
    if (!(backend instanceof VaultBackend)) throw new KeybridgeError("KB_INPUT_INVALID", "AppRole is a Vault/OpenBao method; use another --auth with Infisical");
    const secretId = settings.secretIdFile ? readCredentialFile("the AppRole secret id", settings.secretIdFile) : context.env[settings.secretIdEnv ?? "VAULT_SECRET_ID"];
    if (secretId) context.onCredential?.(secretId);
    return backend.loginWithAppRole(settings.roleId, secretId, settings.path ?? "approle");
  },
};
