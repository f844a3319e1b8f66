// infisical_identity: a machine identity of the organization. Its org role is kept but decides
// nothing here: project access comes from project memberships.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBlocks, tfBool, tfString } from "../../attributes.ts";

export const infisicalIdentityApplier = defineInfisicalApplier({
  type: "infisical_identity",
  attributes: z.object({
    name: tfString,
    org_id: tfString,
    role: tfString,
    has_delete_protection: tfBool.optional(),
    metadata: tfBlocks(z.object({ key: tfString, value: tfString })).optional(),
  }),
  computed: ["auth_modes"],
  apply(attributes, store) {
    const identity = store.createIdentity({ name: attributes.name, orgId: attributes.org_id, orgRole: attributes.role });
    return { ...attributes, id: identity.id, auth_modes: [] };
  },
});
