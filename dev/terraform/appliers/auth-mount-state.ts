// Enabling an auth method (POST sys/auth/PATH) and reading back what Terraform's state keeps of
// it: the accessor, which identity aliases and policies name the mount by. A method of the same
// type already there (kept by --data from an earlier start) counts as enabled, as vault_mount does;
// another type there makes Vault answer "path is already in use".
import { vaultData, type VaultApi } from "../vault-api.ts";

export interface AuthMountInfo {
  readonly accessor: string;
  readonly type: string;
  readonly description: string;
  readonly local: boolean;
}

export async function enableAuth(vault: VaultApi, path: string, body: Readonly<Record<string, unknown>>): Promise<AuthMountInfo> {
  const found = await existingAuth(vault, path);
  if (found && found.type === body.type) return found;
  await vaultData(vault, "POST", `sys/auth/${path}`, body);
  return readAuth(vault, path);
}

/** The auth method at `path`, or undefined when there is none. */
export async function existingAuth(vault: VaultApi, path: string): Promise<AuthMountInfo | undefined> {
  const answer = await vault.call("GET", `sys/auth/${path}`);
  return answer.status === 200 ? authInfo(answer.body?.data) : undefined;
}

export async function readAuth(vault: VaultApi, path: string): Promise<AuthMountInfo> {
  return authInfo(await vaultData(vault, "GET", `sys/auth/${path}`));
}

function authInfo(data: any): AuthMountInfo {
  return { accessor: data?.accessor ?? "", type: data?.type ?? "", description: data?.description ?? "", local: data?.local === true };
}
