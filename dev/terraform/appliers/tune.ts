// The `tune` block of vault_auth_backend and vault_jwt_auth_backend (sys/auth/PATH/tune), read
// attribute by attribute: what this backend honours or what cannot change a login or a read
// here is accepted; what it would decide differently from Vault is refused or, where only a
// token's lifetime differs, accepted with a warning that says so.
import * as z from "zod";
import { tfSingleBlock, tfString, tfStringList } from "../attributes.ts";

export const tuneAttribute = tfSingleBlock(
  z.object({
    default_lease_ttl: tfString.optional(),
    max_lease_ttl: tfString.optional(),
    listing_visibility: tfString.optional(),
    token_type: tfString.optional(),
    audit_non_hmac_request_keys: tfStringList.optional(),
    audit_non_hmac_response_keys: tfStringList.optional(),
    passthrough_request_headers: tfStringList.optional(),
    allowed_response_headers: tfStringList.optional(),
  }, { error: "must be a tune block" }).strict(),
).optional();

export type Tune = NonNullable<z.output<typeof tuneAttribute>>;

const durationShape = /^(\d+|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Per attribute of the tune block: problems (refused, with why) and warnings (accepted, with what differs). */
export function tuneFindings(tune: Tune | undefined): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!tune) return { problems, warnings };
  for (const name of ["default_lease_ttl", "max_lease_ttl"] as const) {
    const value = tune[name];
    if (value === undefined || value === "") continue;
    if (!durationShape.test(value)) problems.push(`tune.${name} must be a duration such as "1h" or "3600s"; fix its value`);
    else warnings.push(`tune.${name} is accepted but not applied: keybridge dev does not cap token lifetimes by mount, so tokens live as the role's token_ttl says`);
  }
  const tokenType = tune.token_type;
  if (tokenType !== undefined && !["", "default-service", "service", "default"].includes(tokenType)) {
    problems.push(`tune.token_type "${tokenType}" is refused: keybridge dev issues service tokens only; use default-service or remove token_type`);
  }
  if (tune.listing_visibility !== undefined && !["", "hidden", "unauth"].includes(tune.listing_visibility)) {
    problems.push('tune.listing_visibility must be "unauth" or "hidden"; fix its value');
  }
  // listing_visibility (a UI hint), the audit_non_hmac_* keys (the dev audit log HMACs every value,
  // which hides more, never less) and the header lists change no login and no read: accepted.
  return { problems, warnings };
}
