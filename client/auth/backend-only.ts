// The methods only Vault and OpenBao have refuse another backend with one line that says so.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend } from "../backends/backend.ts";
import { VaultBackend } from "../backends/vault.ts";
import { InfisicalBackend } from "../backends/infisical.ts";

export function vaultOnly(backend: SecretsBackend, method: string): VaultBackend {
  if (backend instanceof VaultBackend) return backend;
  throw new KeybridgeError("KB_INPUT_INVALID", `${method} is a Vault/OpenBao auth method: with Infisical log in with OIDC, universal auth or a token`);
}

export function infisicalOnly(backend: SecretsBackend, method: string): InfisicalBackend {
  if (backend instanceof InfisicalBackend) return backend;
  throw new KeybridgeError("KB_INPUT_INVALID", `${method} is an Infisical auth method: with Vault or OpenBao use jwt, token, approle, kubernetes, userpass, ldap or github`);
}
