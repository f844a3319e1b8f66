// vault_kubernetes_auth_backend_config and vault_kubernetes_auth_backend_role: write
// auth/BACKEND/config and auth/BACKEND/role/NAME, as the provider does.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfString, tfStringList } from "../attributes.ts";
import { tokenFieldAttributes } from "./token-fields.ts";
import { vaultData } from "../vault-api.ts";

export const kubernetesAuthBackendConfigApplier = defineApplier({
  type: "vault_kubernetes_auth_backend_config",
  attributes: z.object({
    backend: tfString.optional(),
    kubernetes_host: tfString,
    kubernetes_ca_cert: tfString.optional(),
    token_reviewer_jwt: tfString.optional(),
    pem_keys: tfStringList.optional(),
    issuer: tfString.optional(),
    disable_iss_validation: tfBool.optional(),
    disable_local_ca_jwt: tfBool.optional(),
    use_annotations_as_alias_metadata: tfBool.optional(),
  }),
  sensitive: ["token_reviewer_jwt"],
  async apply(attributes, vault) {
    const { backend: rawBackend, ...fields } = attributes;
    const backend = trimSlashes(rawBackend ?? "kubernetes");
    await vaultData(vault, "POST", `auth/${backend}/config`, defined(fields));
    return { ...attributes, backend, id: `auth/${backend}/config` };
  },
});

export const kubernetesAuthBackendRoleApplier = defineApplier({
  type: "vault_kubernetes_auth_backend_role",
  attributes: z.object({
    role_name: tfString,
    backend: tfString.optional(),
    bound_service_account_names: tfStringList,
    bound_service_account_namespaces: tfStringList.optional(),
    audience: tfString.optional(),
    alias_name_source: tfString.optional(),
    ...tokenFieldAttributes,
  }),
  async apply(attributes, vault) {
    const { role_name, backend: rawBackend, alias_metadata: _aliasMetadata, ...fields } = attributes;
    const backend = trimSlashes(rawBackend ?? "kubernetes");
    const path = `auth/${backend}/role/${trimSlashes(role_name)}`;
    await vaultData(vault, "POST", path, defined(fields));
    return { ...attributes, backend, id: path };
  },
});
