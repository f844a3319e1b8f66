// infisical_project_identity: makes an identity a member of a project with roles (built-in
// slugs or the project's custom roles); temporary roles count only inside their window.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBool, tfString } from "../../attributes.ts";
import { roleBindings, roleBlocks, roleState } from "./shared.ts";

export const infisicalProjectIdentityApplier = defineInfisicalApplier({
  type: "infisical_project_identity",
  attributes: z.object({
    project_id: tfString,
    identity_id: tfString,
    roles: roleBlocks,
    adopt_existing: tfBool.optional(),
  }),
  computed: ["membership_id", "identity"],
  apply(attributes, store) {
    const bindings = roleBindings(attributes.roles);
    const membership = store.addIdentityMembership({ projectId: attributes.project_id, identityId: attributes.identity_id, roles: bindings });
    const identity = store.identity(attributes.identity_id)!;
    return {
      ...attributes,
      roles: roleState(attributes.roles, bindings),
      id: membership.id,
      membership_id: membership.id,
      identity: { id: identity.id, name: identity.name, auth_method: [...identity.authModes][0] ?? "" },
    };
  },
});
