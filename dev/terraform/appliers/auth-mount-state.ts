// Enabling an auth method (POST sys/auth/PATH) and reading back what Terraform's state keeps of
// it: the accessor, which identity aliases and policies name the mount by.
import { vaultData, type VaultApi } from "../vault-api.ts";

export interface AuthMountInfo {
  readonly accessor: string;
  readonly type: string;
  readonly description: string;
  readonly local: boolean;
}

export async function enableAuth(vault: VaultApi, path: string, body: Readonly<Record<string, unknown>>): Promise<AuthMountInfo> {
  await vaultData(vault, "POST", `sys/auth/${path}`, body);
  return readAuth(vault, path);
}

export async function readAuth(vault: VaultApi, path: string): Promise<AuthMountInfo> {
  const data = await vaultData(vault, "GET", `sys/auth/${path}`);
  return { accessor: data?.accessor ?? "", type: data?.type ?? "", description: data?.description ?? "", local: data?.local === true };
}
