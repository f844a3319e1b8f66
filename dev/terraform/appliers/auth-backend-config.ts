// The provider resources that enable an auth method and write its config in one (GitHub, LDAP):
// enable the method at PATH (default: its type) unless it is there, then write auth/PATH/config.
import { defined, trimSlashes } from "../applier.ts";
import { enableAuth } from "./auth-mount-state.ts";
import { vaultData, type VaultApi } from "../vault-api.ts";

export async function enableWithConfig(
  vault: VaultApi,
  type: string,
  attributes: { readonly path?: string | undefined; readonly description?: string | undefined; readonly alias_metadata?: unknown },
  config: Readonly<Record<string, unknown>>,
): Promise<{ path: string; id: string; accessor: string }> {
  const path = trimSlashes(attributes.path ?? type);
  const mount = await enableAuth(vault, path, defined({ type, description: attributes.description }));
  await vaultData(vault, "POST", `auth/${path}/config`, defined(config));
  return { path, id: path, accessor: mount.accessor };
}
