// vault_jwt_auth_backend_role: writes auth/BACKEND/role/NAME with what the provider sends. Two of
// its habits matter for logins: role_type defaults to "oidc" (so a CI role must say "jwt"), and a
// bound_claims value with commas becomes a list of any-of values ("push,workflow_dispatch") unless
// disable_bound_claims_parsing is set.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfNumber, tfString, tfStringList, tfStringMap } from "../attributes.ts";
import { ApplyProblem } from "../problems.ts";
import { tokenFieldAttributes } from "./token-fields.ts";
import { vaultData } from "../vault-api.ts";

/** The provider's bound_claims parsing: "a, b" → ["a", "b"]; a value without a comma stays a string. */
export function providerBoundClaims(claims: Readonly<Record<string, string>>, disableParsing: boolean): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      disableParsing || !value.includes(",") ? value : value.split(",").map((item) => item.trim()),
    ]),
  );
}

export const jwtAuthBackendRoleApplier = defineApplier({
  type: "vault_jwt_auth_backend_role",
  attributes: z.object({
    role_name: tfString,
    user_claim: tfString,
    backend: tfString.optional(),
    role_type: tfString.optional(),
    bound_audiences: tfStringList.optional(),
    bound_subject: tfString.optional(),
    bound_claims: tfStringMap.optional(),
    bound_claims_type: tfString.optional(),
    disable_bound_claims_parsing: tfBool.optional(),
    claim_mappings: tfStringMap.optional(),
    user_claim_json_pointer: tfBool.optional(),
    clock_skew_leeway: tfNumber.optional(),
    expiration_leeway: tfNumber.optional(),
    not_before_leeway: tfNumber.optional(),
    allowed_redirect_uris: tfStringList.optional(),
    groups_claim: tfString.optional(),
    oidc_scopes: tfStringList.optional(),
    verbose_oidc_logging: tfBool.optional(),
    max_age: tfNumber.optional(),
    ...tokenFieldAttributes,
  }),
  async apply(attributes, vault) {
    const { role_name, backend: rawBackend, disable_bound_claims_parsing, bound_claims, ...fields } = attributes;
    const backend = trimSlashes(rawBackend ?? "jwt");
    const roleType = fields.role_type ?? "oidc";
    const path = `auth/${backend}/role/${trimSlashes(role_name)}`;
    try {
      await vaultData(vault, "POST", path, defined({
        ...fields,
        role_type: roleType,
        bound_claims: bound_claims ? providerBoundClaims(bound_claims, disable_bound_claims_parsing === true) : undefined,
      }));
    } catch (error) {
      // The provider's default trips most first CI roles: say which default it was.
      if (error instanceof ApplyProblem && fields.role_type === undefined) {
        throw new ApplyProblem(`${error.message} (role_type defaults to "oidc"; CI logins need role_type = "jwt")`);
      }
      throw error;
    }
    return { ...attributes, backend, role_type: roleType, id: path };
  },
});
