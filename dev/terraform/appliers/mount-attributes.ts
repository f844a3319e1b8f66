// The attributes every secrets-engine mount resource of the Vault provider shares (vault_mount,
// vault_database_secrets_mount): the sys/mounts settings beside path and type.
import { tfBool, tfNumber, tfString, tfStringList, tfStringMap } from "../attributes.ts";

export const mountAttributes = {
  description: tfString.optional(),
  options: tfStringMap.optional(),
  default_lease_ttl_seconds: tfNumber.optional(),
  max_lease_ttl_seconds: tfNumber.optional(),
  local: tfBool.optional(),
  seal_wrap: tfBool.optional(),
  external_entropy_access: tfBool.optional(),
  force_no_cache: tfBool.optional(),
  listing_visibility: tfString.optional(),
  audit_non_hmac_request_keys: tfStringList.optional(),
  audit_non_hmac_response_keys: tfStringList.optional(),
  passthrough_request_headers: tfStringList.optional(),
  allowed_response_headers: tfStringList.optional(),
  allowed_managed_keys: tfStringList.optional(),
  delegated_auth_accessors: tfStringList.optional(),
  identity_token_key: tfString.optional(),
  plugin_version: tfString.optional(),
};
