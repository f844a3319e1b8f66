// vault_identity_group_alias: ties an external group to a group name of an auth mount
// (POST identity/group-alias).
import * as z from "zod";
import { defineApplier } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

export const identityGroupAliasApplier = defineApplier({
  type: "vault_identity_group_alias",
  attributes: z.object({ name: tfString, mount_accessor: tfString, canonical_id: tfString }),
  async apply(attributes, vault) {
    const created = await vaultData(vault, "POST", "identity/group-alias", attributes);
    return { ...attributes, id: created.id };
  },
});
