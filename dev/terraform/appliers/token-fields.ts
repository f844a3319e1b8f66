// The token_* attributes every auth-method role of the Vault provider shares (Vault's tokenutil).
import { tfBool, tfNumber, tfString, tfStringList, tfStringMap } from "../attributes.ts";

export const tokenFieldAttributes = {
  alias_metadata: tfStringMap.optional(),
  token_ttl: tfNumber.optional(),
  token_max_ttl: tfNumber.optional(),
  token_explicit_max_ttl: tfNumber.optional(),
  token_period: tfNumber.optional(),
  token_policies: tfStringList.optional(),
  token_no_default_policy: tfBool.optional(),
  token_num_uses: tfNumber.optional(),
  token_bound_cidrs: tfStringList.optional(),
  token_type: tfString.optional(),
};
