// vault_identity_group_alias: ties an external group to a group name of an auth mount
// (POST identity/group-alias). An alias of that name and mount already there (kept by --data from
// an earlier start) is updated in place, as Terraform would with the alias in its state.
import * as z from "zod";
import { defineApplier } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { vaultData, type VaultApi } from "../vault-api.ts";

async function existingAlias(vault: VaultApi, name: string, mountAccessor: string): Promise<string | undefined> {
  const answer = await vault.call("LIST", "identity/group-alias/id");
  const info: Record<string, { name?: unknown; mount_accessor?: unknown }> = answer.status === 200 ? (answer.body?.data?.key_info ?? {}) : {};
  return Object.entries(info).find(([, alias]) => alias.name === name && alias.mount_accessor === mountAccessor)?.[0];
}

export const identityGroupAliasApplier = defineApplier({
  type: "vault_identity_group_alias",
  attributes: z.object({ name: tfString, mount_accessor: tfString, canonical_id: tfString }),
  async apply(attributes, vault) {
    const id = await existingAlias(vault, attributes.name, attributes.mount_accessor);
    const written = await vaultData(vault, "POST", "identity/group-alias", { ...attributes, ...(id ? { id } : {}) });
    return { ...attributes, id: written?.id ?? id };
  },
});
