// vault_approle_auth_backend_role: writes auth/BACKEND/role/NAME, then the role_id when the file
// sets one (auth/BACKEND/role/NAME/role-id), as the provider does, and reads back the role_id that
// Vault generated otherwise: the computed attribute a machine's login is configured with.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfNumber, tfString, tfStringList } from "../attributes.ts";
import { tokenFieldAttributes } from "./token-fields.ts";
import { vaultData } from "../vault-api.ts";

export const approleAuthBackendRoleApplier = defineApplier({
  type: "vault_approle_auth_backend_role",
  attributes: z.object({
    role_name: tfString,
    backend: tfString.optional(),
    role_id: tfString.optional(),
    bind_secret_id: tfBool.optional(),
    secret_id_bound_cidrs: tfStringList.optional(),
    secret_id_num_uses: tfNumber.optional(),
    secret_id_ttl: tfNumber.optional(),
    ...tokenFieldAttributes,
  }),
  computed: ["role_id"],
  async apply(attributes, vault) {
    const { role_name, backend: rawBackend, role_id, ...fields } = attributes;
    const backend = trimSlashes(rawBackend ?? "approle");
    const path = `auth/${backend}/role/${trimSlashes(role_name)}`;
    await vaultData(vault, "POST", path, defined(fields));
    if (role_id !== undefined) await vaultData(vault, "POST", `${path}/role-id`, { role_id });
    const read = await vaultData(vault, "GET", `${path}/role-id`);
    return { ...attributes, backend, id: path, role_id: read?.role_id ?? role_id ?? "" };
  },
});
