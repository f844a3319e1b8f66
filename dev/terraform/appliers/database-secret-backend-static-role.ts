// vault_database_secret_backend_static_role: one existing database user whose password the
// database mount (BACKEND/static-roles/NAME) changes every rotation_period seconds.
import * as z from "zod";
import { defineApplier, writeBackendRole } from "../applier.ts";
import { tfBool, tfNumber, tfString, tfStringList } from "../attributes.ts";

export const databaseStaticRoleApplier = defineApplier({
  type: "vault_database_secret_backend_static_role",
  attributes: z.object({
    backend: tfString,
    name: tfString,
    db_name: tfString,
    username: tfString,
    rotation_period: tfNumber.optional(),
    rotation_schedule: tfString.optional(),
    rotation_window: tfNumber.optional(),
    rotation_statements: tfStringList.optional(),
    skip_import_rotation: tfBool.optional(),
  }),
  apply: (attributes, vault) => writeBackendRole(attributes, vault, "static-roles"),
});
