// vault_database_secret_backend_static_role: one existing database user whose password the
// database mount (BACKEND/static-roles/NAME) changes every rotation_period seconds.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfNumber, tfString, tfStringList } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

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
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend);
    const name = trimSlashes(attributes.name);
    const { backend: _backend, name: _name, ...fields } = attributes;
    const path = `${backend}/static-roles/${name}`;
    await vaultData(vault, "POST", path, defined(fields));
    return { ...attributes, backend, name, id: path };
  },
});
