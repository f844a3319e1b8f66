// infisical_project_group: an SSO group's project membership. Stored (its roles are checked)
// but never used to log in: keybridge dev has no users or groups.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfString } from "../../attributes.ts";
import { roleBindings, roleBlocks, roleState } from "./shared.ts";

export const infisicalProjectGroupApplier = defineInfisicalApplier({
  type: "infisical_project_group",
  attributes: z.object({
    project_id: tfString,
    group_id: tfString.optional(),
    group_name: tfString.optional(),
    group_slug: tfString.optional(),
    roles: roleBlocks,
  }),
  exactlyOneOf: [["group_id", "group_name", "group_slug"]],
  computed: ["membership_id"],
  apply(attributes, store) {
    const bindings = roleBindings(attributes.roles);
    const group = attributes.group_id ?? attributes.group_name ?? attributes.group_slug ?? "";
    const membership = store.addGroupMembership({ projectId: attributes.project_id, group, roles: bindings });
    return { ...attributes, roles: roleState(attributes.roles, bindings), id: membership.id, membership_id: membership.id };
  },
});
