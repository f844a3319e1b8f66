// vault_ldap_auth_backend (enables the method at PATH, default ldap, and writes the directory
// settings, which keybridge dev keeps but does not dial), vault_ldap_auth_backend_user and
// vault_ldap_auth_backend_group. Dev's LDAP users need a password, which the provider's user
// resource has no field for: declare them with vault_generic_endpoint at auth/ldap/users/NAME.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfString, tfStringList } from "../attributes.ts";
import { tokenFieldAttributes } from "./token-fields.ts";
import { enableWithConfig } from "./auth-backend-config.ts";
import { vaultData } from "../vault-api.ts";

export const ldapAuthBackendApplier = defineApplier({
  type: "vault_ldap_auth_backend",
  attributes: z.object({
    url: tfString,
    path: tfString.optional(),
    description: tfString.optional(),
    binddn: tfString.optional(),
    bindpass: tfString.optional(),
    userdn: tfString.optional(),
    userattr: tfString.optional(),
    groupdn: tfString.optional(),
    groupattr: tfString.optional(),
    groupfilter: tfString.optional(),
    upndomain: tfString.optional(),
    starttls: tfBool.optional(),
    insecure_tls: tfBool.optional(),
    discoverdn: tfBool.optional(),
    ...tokenFieldAttributes,
  }),
  sensitive: ["bindpass"],
  computed: ["accessor"],
  async apply(attributes, vault) {
    const { path: _path, description: _description, alias_metadata: _aliasMetadata, ...config } = attributes;
    return { ...attributes, ...(await enableWithConfig(vault, "ldap", attributes, config)) };
  },
});

export const ldapAuthBackendUserApplier = defineApplier({
  type: "vault_ldap_auth_backend_user",
  attributes: z.object({ username: tfString, backend: tfString.optional(), policies: tfStringList.optional(), groups: tfStringList.optional() }),
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend ?? "ldap");
    const path = `auth/${backend}/users/${attributes.username}`;
    await vaultData(vault, "POST", path, defined({ policies: attributes.policies, groups: attributes.groups }));
    return { ...attributes, backend, id: path };
  },
});

export const ldapAuthBackendGroupApplier = defineApplier({
  type: "vault_ldap_auth_backend_group",
  attributes: z.object({ groupname: tfString, backend: tfString.optional(), policies: tfStringList.optional() }),
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend ?? "ldap");
    const path = `auth/${backend}/groups/${attributes.groupname}`;
    await vaultData(vault, "POST", path, defined({ policies: attributes.policies }));
    return { ...attributes, backend, id: path };
  },
});
