// data "vault_approle_auth_backend_role_id": the role ID of an AppRole role (GET
// auth/BACKEND/role/NAME/role-id), for files that hand it to a machine.
import * as z from "zod";
import { defineApplier, trimSlashes } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { ApplyProblem } from "../problems.ts";

export const approleRoleIdDataApplier = defineApplier({
  kind: "data",
  type: "vault_approle_auth_backend_role_id",
  attributes: z.object({ role_name: tfString, backend: tfString.optional() }),
  computed: ["role_id"],
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend ?? "approle");
    const path = `auth/${backend}/role/${trimSlashes(attributes.role_name)}/role-id`;
    const answer = await vault.call("GET", path);
    const roleId: unknown = answer.status === 200 ? answer.body?.data?.role_id : undefined;
    if (typeof roleId !== "string") throw new ApplyProblem(`no AppRole role "${attributes.role_name}" at auth/${backend}; declare it in the file (vault_approle_auth_backend_role)`);
    return { ...attributes, backend, id: path, role_id: roleId };
  },
});
