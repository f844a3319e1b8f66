// vault_policy: an ACL policy by name (PUT sys/policies/acl/NAME), parsed and checked by the dev
// backend as Vault would.
import * as z from "zod";
import { defineApplier } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

export const policyApplier = defineApplier({
  type: "vault_policy",
  attributes: z.object({ name: tfString, policy: tfString }),
  async apply(attributes, vault) {
    await vaultData(vault, "PUT", `sys/policies/acl/${attributes.name}`, { policy: attributes.policy });
    return { ...attributes, id: attributes.name };
  },
});
