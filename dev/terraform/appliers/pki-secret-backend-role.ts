// vault_pki_secret_backend_role: a role of a PKI mount (BACKEND/roles/NAME): the names its
// certificates may carry, their lifetimes (ttl, max_ttl in seconds) and the key type.
import * as z from "zod";
import { defineApplier, writeBackendRole } from "../applier.ts";
import { tfBool, tfNumber, tfString, tfStringList } from "../attributes.ts";

export const pkiRoleApplier = defineApplier({
  type: "vault_pki_secret_backend_role",
  attributes: z.object({
    backend: tfString,
    name: tfString,
    allowed_domains: tfStringList.optional(),
    allow_subdomains: tfBool.optional(),
    allow_bare_domains: tfBool.optional(),
    allow_glob_domains: tfBool.optional(),
    allow_any_name: tfBool.optional(),
    allow_localhost: tfBool.optional(),
    allow_ip_sans: tfBool.optional(),
    enforce_hostnames: tfBool.optional(),
    server_flag: tfBool.optional(),
    client_flag: tfBool.optional(),
    require_cn: tfBool.optional(),
    ttl: tfString.optional(),
    max_ttl: tfString.optional(),
    key_type: tfString.optional(),
    key_bits: tfNumber.optional(),
  }),
  apply: writeBackendRole,
});
