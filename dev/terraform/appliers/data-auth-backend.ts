// data "vault_auth_backend": reads an auth mount the platform already has (its accessor, type).
// Such a mount is not in the file, so the dev backend must have it before the file is applied:
// the message says how (--auth-mount PATH=TYPE).
import * as z from "zod";
import { defineApplier, trimSlashes } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { ApplyProblem } from "../problems.ts";
import type { VaultApi } from "../vault-api.ts";

function notMounted(path: string): string {
  return `no auth method is mounted at "${path}/"; start keybridge dev with --auth-mount ${path}=TYPE (e.g. --auth-mount ${path}=oidc) or declare the mount in the file`;
}

async function readMount(vault: VaultApi, path: string): Promise<Record<string, any> | undefined> {
  const answer = await vault.call("GET", `sys/auth/${path}`);
  return answer.status === 200 ? answer.body?.data : undefined;
}

export const authBackendDataApplier = defineApplier({
  kind: "data",
  type: "vault_auth_backend",
  attributes: z.object({ path: tfString }),
  computed: ["accessor", "type", "description", "local", "default_lease_ttl_seconds", "max_lease_ttl_seconds", "listing_visibility"],
  async precheck(attributes, context) {
    const path = trimSlashes(attributes.path);
    if (context.declaredAuthPaths.has(path)) return undefined;
    return (await readMount(context.vault, path)) ? undefined : notMounted(path);
  },
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path);
    const mount = await readMount(vault, path);
    if (!mount) throw new ApplyProblem(notMounted(path));
    return {
      path,
      id: path,
      accessor: mount.accessor,
      type: mount.type,
      description: mount.description ?? "",
      local: mount.local === true,
      default_lease_ttl_seconds: mount.config?.default_lease_ttl ?? 0,
      max_lease_ttl_seconds: mount.config?.max_lease_ttl ?? 0,
      listing_visibility: mount.config?.listing_visibility ?? "",
    };
  },
});
