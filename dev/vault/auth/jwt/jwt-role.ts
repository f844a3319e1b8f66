// JWT auth roles as the plugin stores them: the fields a role write accepts, Vault's defaults, the
// checks (in the plugin's order, with its messages) and the shape a role read answers with.
import * as z from "zod";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList, vaultStringMap } from "../../core/fields.ts";
import type { BoundClaims, BoundClaimsType } from "./bound-claims.ts";
import { applyTokenFields, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";

export interface JwtRole extends TokenSettings {
  readonly roleType: "jwt" | "oidc";
  readonly userClaim: string;
  readonly userClaimJsonPointer: boolean;
  readonly boundAudiences: readonly string[];
  readonly boundSubject: string;
  readonly boundClaims: BoundClaims | null;
  readonly boundClaimsType: BoundClaimsType;
  readonly claimMappings: Readonly<Record<string, string>> | null;
  readonly allowedRedirectUris: readonly string[];
  readonly clockSkewLeeway: number;
  readonly expirationLeeway: number;
  readonly notBeforeLeeway: number;
}

const claimValue = z.union([z.string(), z.number(), z.boolean()]);

const roleFields = z.object({
  role_type: z.string().optional(),
  user_claim: z.string().optional(),
  user_claim_json_pointer: vaultBool.optional(),
  bound_audiences: vaultStringList.optional(),
  bound_subject: z.string().optional(),
  bound_claims: z.record(z.string(), z.union([claimValue, z.array(claimValue)])).optional(),
  bound_claims_type: z.string().optional(),
  claim_mappings: vaultStringMap.optional(),
  allowed_redirect_uris: vaultStringList.optional(),
  clock_skew_leeway: vaultDuration.optional(),
  expiration_leeway: vaultDuration.optional(),
  not_before_leeway: vaultDuration.optional(),
  ...tokenFields,
  // Deprecated names Vault still accepts for the token_* fields.
  policies: vaultStringList.optional(),
  ttl: vaultDuration.optional(),
  max_ttl: vaultDuration.optional(),
  period: vaultDuration.optional(),
  num_uses: vaultInt.optional(),
  bound_cidrs: vaultStringList.optional(),
});

const emptyRole: JwtRole = {
  roleType: "oidc",
  userClaim: "",
  userClaimJsonPointer: false,
  boundAudiences: [],
  boundSubject: "",
  boundClaims: null,
  boundClaimsType: "string",
  claimMappings: null,
  allowedRedirectUris: [],
  clockSkewLeeway: 60,
  expirationLeeway: 150,
  notBeforeLeeway: 150,
  ...noTokenSettings,
};

/** The deprecated names the JWT plugin still accepts for token_* fields. */
const jwtTokenAliases = {
  token_ttl: "ttl", token_max_ttl: "max_ttl", token_period: "period", token_policies: "policies", token_num_uses: "num_uses", token_bound_cidrs: "bound_cidrs",
} as const;

/** Applies a role write to the existing role (or to a new one), with the plugin's checks. */
export function writeRole(existing: JwtRole | undefined, data: Readonly<Record<string, unknown>>, warn: (w: string) => void): JwtRole {
  const fields = parseFields(roleFields, data, warn);
  // As in the plugin, a write without role_type means "oidc", on create and on update alike.
  const roleType = fields.role_type || "oidc";
  if (roleType !== "jwt" && roleType !== "oidc") throw badRequest(`invalid 'role_type': ${roleType}`);
  const base = existing ?? emptyRole;
  const tokenSettings = applyTokenFields(fields, jwtTokenAliases, base);

  const boundClaimsType = fields.bound_claims_type ?? "string";
  if (boundClaimsType !== "string" && boundClaimsType !== "glob") {
    throw badRequest(`invalid 'bound_claims_type': ${boundClaimsType}`);
  }
  if (fields.bound_claims && boundClaimsType === "glob") {
    for (const value of Object.values(fields.bound_claims).flat()) {
      if (typeof value !== "string") throw badRequest(`claim is not a string: ${value}`);
    }
  }
  if (fields.claim_mappings) {
    const targets = new Set<string>();
    for (const target of Object.values(fields.claim_mappings)) {
      if (target === "role") throw badRequest(`metadata key "role" is reserved and may not be a mapping destination`);
      if (targets.has(target)) throw badRequest(`multiple keys are mapped to metadata key "${target}"`);
      targets.add(target);
    }
  }

  const role: JwtRole = {
    roleType,
    userClaim: fields.user_claim ?? base.userClaim,
    userClaimJsonPointer: fields.user_claim_json_pointer ?? base.userClaimJsonPointer,
    boundAudiences: fields.bound_audiences ?? base.boundAudiences,
    boundSubject: fields.bound_subject ?? base.boundSubject,
    boundClaims: fields.bound_claims ?? base.boundClaims,
    boundClaimsType,
    claimMappings: fields.claim_mappings ?? base.claimMappings,
    allowedRedirectUris: fields.allowed_redirect_uris ?? base.allowedRedirectUris,
    clockSkewLeeway: fields.clock_skew_leeway ?? base.clockSkewLeeway,
    expirationLeeway: fields.expiration_leeway ?? base.expirationLeeway,
    notBeforeLeeway: fields.not_before_leeway ?? base.notBeforeLeeway,
    ...tokenSettings,
  };

  if (role.userClaim === "") throw badRequest("a user claim must be defined on the role");
  if (role.roleType === "oidc" && role.allowedRedirectUris.length === 0) {
    throw badRequest("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.");
  }
  const bound = role.boundAudiences.length + role.tokenBoundCidrs.length + Object.keys(role.boundClaims ?? {}).length;
  if (role.roleType !== "oidc" && bound === 0 && role.boundSubject === "") {
    throw badRequest("must have at least one bound constraint when creating/updating a role");
  }
  if (role.tokenMaxTtl > 0 && role.tokenTtl > role.tokenMaxTtl) throw badRequest("ttl should not be greater than max ttl");
  return role;
}

/** The `data` of a role read, with the plugin's field names. */
export function roleData(role: JwtRole): Record<string, unknown> {
  return {
    role_type: role.roleType,
    user_claim: role.userClaim,
    user_claim_json_pointer: role.userClaimJsonPointer,
    bound_audiences: role.boundAudiences,
    bound_subject: role.boundSubject,
    bound_claims: role.boundClaims,
    bound_claims_type: role.boundClaimsType,
    claim_mappings: role.claimMappings,
    allowed_redirect_uris: role.allowedRedirectUris,
    clock_skew_leeway: role.clockSkewLeeway,
    expiration_leeway: role.expirationLeeway,
    not_before_leeway: role.notBeforeLeeway,
    ...tokenSettingsData(role),
  };
}
