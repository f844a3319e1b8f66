// vault_identity_group: POST identity/group; Vault answers the new group's id (and the name it
// generated, when none was given).
import * as z from "zod";
import { defineApplier, defined } from "../applier.ts";
import { tfBool, tfString, tfStringList, tfStringMap } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

export const identityGroupApplier = defineApplier({
  type: "vault_identity_group",
  attributes: z.object({
    name: tfString.optional(),
    type: tfString.optional(),
    policies: tfStringList.optional(),
    metadata: tfStringMap.optional(),
    member_entity_ids: tfStringList.optional(),
    member_group_ids: tfStringList.optional(),
    // How the provider shares ownership of these lists with other resources: nothing to do here.
    external_policies: tfBool.optional(),
    external_member_entity_ids: tfBool.optional(),
    external_member_group_ids: tfBool.optional(),
  }),
  async apply(attributes, vault) {
    const { external_policies: _p, external_member_entity_ids: _e, external_member_group_ids: _g, ...fields } = attributes;
    const created = await vaultData(vault, "POST", "identity/group", defined(fields));
    // A group of that name already existed: Vault updated it and answered nothing, so look it up.
    const group = created?.id ? created : await vaultData(vault, "GET", `identity/group/name/${fields.name}`);
    return { ...attributes, id: group.id, name: group.name, type: attributes.type ?? "internal" };
  },
});
