// vault_database_secret_backend_role: a dynamic role of a database mount (BACKEND/roles/NAME): the
// connection it uses, the statements a real plugin would run, and the TTLs of its credentials'
// leases (default_ttl, max_ttl, in seconds).
import * as z from "zod";
import { defineApplier, writeBackendRole } from "../applier.ts";
import { tfNumber, tfString, tfStringList, tfStringMap } from "../attributes.ts";

export const databaseRoleApplier = defineApplier({
  type: "vault_database_secret_backend_role",
  attributes: z.object({
    backend: tfString,
    name: tfString,
    db_name: tfString,
    creation_statements: tfStringList,
    revocation_statements: tfStringList.optional(),
    rollback_statements: tfStringList.optional(),
    renew_statements: tfStringList.optional(),
    default_ttl: tfNumber.optional(),
    max_ttl: tfNumber.optional(),
    credential_type: tfString.optional(),
    credential_config: tfStringMap.optional(),
  }),
  apply: writeBackendRole,
});
