// --auth-mount PATH=TYPE: auth methods the platform already has outside the file (the SSO mount
// an identity group alias names, say), enabled through the Vault API before the file is applied.
import { ApplyProblem, TerraformError } from "./problems.ts";
import { type VaultApi } from "./vault-api.ts";
import { enableAuth } from "./appliers/auth-mount-state.ts";

export interface AuthMountSpec {
  readonly path: string;
  readonly type: string;
}

/** "oidc=oidc" → {path: "oidc", type: "oidc"}; undefined when the text is not PATH=TYPE. */
export function parseAuthMount(text: string): AuthMountSpec | undefined {
  const match = /^\/*([\w.-]+(?:\/[\w.-]+)*)\/*=([\w-]+)$/.exec(text.trim());
  return match ? { path: match[1]!, type: match[2]! } : undefined;
}

export async function enableAuthMounts(vault: VaultApi, mounts: readonly AuthMountSpec[]): Promise<void> {
  for (const mount of mounts) {
    try {
      // Kept by --data from an earlier start: enabled already.
      await enableAuth(vault, mount.path, { type: mount.type });
    } catch (error) {
      if (!(error instanceof ApplyProblem)) throw error;
      throw new TerraformError([`--auth-mount ${mount.path}=${mount.type}: ${error.message}; keybridge dev can enable auth types jwt, oidc and approle`]);
    }
  }
}
