// infisical_secret_import: folder_path of environment_slug imports import_folder_path of
// import_environment_slug. Imports are kept in the order they are applied: the last one wins a
// key clash. Replication (is_replication) reads like a plain import here.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBool, tfString } from "../../attributes.ts";

export const infisicalSecretImportApplier = defineInfisicalApplier({
  type: "infisical_secret_import",
  attributes: z.object({
    project_id: tfString,
    environment_slug: tfString,
    folder_path: tfString,
    import_environment_slug: tfString,
    import_folder_path: tfString,
    is_replication: tfBool,
  }),
  apply(attributes, store) {
    const entry = store.createImport({
      projectId: attributes.project_id,
      environment: attributes.environment_slug,
      folderPath: attributes.folder_path,
      fromEnvironment: attributes.import_environment_slug,
      fromPath: attributes.import_folder_path,
      isReplication: attributes.is_replication,
    });
    return { ...attributes, id: entry.id };
  },
});
