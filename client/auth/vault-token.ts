// A Vault or OpenBao token the user already has, found where the Vault CLI leaves it: VAULT_TOKEN,
// BAO_TOKEN, then the token helper file. Keybridge never revokes a token it did not create.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import { readCredentialFile, type LoginContext, type Env } from "./auth-method.ts";
import { login as loginWithGivenToken } from "./given-token.ts";

export interface VaultTokenSettings {
  /** The environment variable holding the token, VAULT_TOKEN unless configured otherwise. */
  readonly tokenEnv?: string | undefined;
}

/** The Vault CLI's token helper file, where `vault login` leaves the token. */
// node:os is taken on use: every Action step loads this module, few read the token helper file.
export const tokenHelperFile = () => join(process.getBuiltinModule("node:os").homedir(), ".vault-token");

/** The token the Vault CLI would use; undefined when there is none. */
export function findVaultToken(settings: VaultTokenSettings, env: Env): string | undefined {
  const fromEnv = env[settings.tokenEnv ?? "VAULT_TOKEN"] ?? env.BAO_TOKEN;
  if (fromEnv) return fromEnv;
  return existsSync(tokenHelperFile()) ? readCredentialFile("the Vault token helper", tokenHelperFile()) : undefined;
}

export async function login(backend: SecretsBackend, settings: VaultTokenSettings, context: LoginContext): Promise<Session> {
  const token = findVaultToken(settings, context.env);
  if (!token) throw new KeybridgeError("KB_INPUT_INVALID", "no Vault token: set VAULT_TOKEN or run vault login");
  return loginWithGivenToken(backend, { token }, context);
}
