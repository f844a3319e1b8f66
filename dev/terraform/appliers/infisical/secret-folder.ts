// infisical_secret_folder: folder `name` inside `folder_path` (which must exist) of an
// environment. Its computed `path` is what nested folders and secrets reference.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBool, tfString } from "../../attributes.ts";

export const infisicalSecretFolderApplier = defineInfisicalApplier({
  type: "infisical_secret_folder",
  attributes: z.object({
    project_id: tfString,
    environment_slug: tfString,
    folder_path: tfString,
    name: tfString,
    description: tfString.optional(),
    force_delete: tfBool.optional(),
  }),
  computed: ["path", "environment_id"],
  apply(attributes, store) {
    const folder = store.createFolder({
      projectId: attributes.project_id,
      environment: attributes.environment_slug,
      parentPath: attributes.folder_path,
      name: attributes.name,
      description: attributes.description ?? "",
    });
    return { ...attributes, id: folder.id, path: folder.path, environment_id: folder.environmentId };
  },
});
