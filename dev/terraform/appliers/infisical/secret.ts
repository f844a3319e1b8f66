// infisical_secret: one secret in a folder, seeded from `value` (kept in state, sensitive) or the
// write-only `value_wo` (never kept). Its metadata is returned with every read of it.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfNumber, tfSingleBlock, tfString, tfStringList, tfStringMap } from "../../attributes.ts";

export const infisicalSecretApplier = defineInfisicalApplier({
  type: "infisical_secret",
  attributes: z.object({
    // Optional in the provider, but keybridge dev has no token scope to take the project from.
    workspace_id: tfString,
    env_slug: tfString,
    folder_path: tfString,
    name: tfString,
    value: tfString.optional(),
    value_wo: tfString.optional(),
    value_wo_version: tfNumber.optional(),
    metadata: tfStringMap.optional(),
    tag_ids: tfStringList.optional(),
    secret_reminder: tfSingleBlock(z.object({ repeat_days: tfNumber, note: tfString.optional() })).optional(),
  }),
  computed: ["last_updated"],
  sensitive: ["value", "value_wo"],
  exactlyOneOf: [["value", "value_wo"]],
  unsupported: { tag_ids: "keybridge dev keeps no secret tags; remove tag_ids" },
  apply(attributes, store) {
    const reminder = attributes.secret_reminder;
    const secret = store.createSecret({
      projectId: attributes.workspace_id,
      environment: attributes.env_slug,
      folderPath: attributes.folder_path,
      key: attributes.name,
      value: attributes.value ?? attributes.value_wo ?? "",
      metadata: attributes.metadata ?? {},
      reminder: reminder ? { repeatDays: reminder.repeat_days, note: reminder.note ?? null } : undefined,
    });
    // As Terraform: the write-only value never reaches the state.
    return { ...attributes, value_wo: undefined, id: secret.id, last_updated: secret.updatedAt };
  },
});
