// JWT auth roles as the plugin stores them: the fields a role write accepts, Vault's defaults, the
// checks (in the plugin's order, with its messages) and the shape a role read answers with.
import * as z from "zod";
import { badRequest } from "./errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList, vaultStringMap } from "./fields.ts";
import type { BoundClaims, BoundClaimsType } from "./bound-claims.ts";
import { parseCidrs } from "./cidrs.ts";

export interface JwtRole {
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
  readonly tokenTtl: number;
  readonly tokenMaxTtl: number;
  readonly tokenExplicitMaxTtl: number;
  readonly tokenPolicies: readonly string[];
  readonly tokenNoDefaultPolicy: boolean;
  readonly tokenNumUses: number;
  readonly tokenBoundCidrs: readonly string[];
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
  token_ttl: vaultDuration.optional(),
  token_max_ttl: vaultDuration.optional(),
  token_explicit_max_ttl: vaultDuration.optional(),
  token_period: vaultDuration.optional(),
  token_policies: vaultStringList.optional(),
  token_no_default_policy: vaultBool.optional(),
  token_num_uses: vaultInt.optional(),
  token_bound_cidrs: vaultStringList.optional(),
  token_type: z.string().optional(),
  // Deprecated names Vault still accepts for the token_* fields.
  policies: vaultStringList.optional(),
  ttl: vaultDuration.optional(),
  max_ttl: vaultDuration.optional(),
  period: vaultDuration.optional(),
  num_uses: vaultInt.optional(),
  bound_cidrs: vaultStringList.optional(),
});

type RoleFields = z.infer<typeof roleFields>;

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
  tokenTtl: 0,
  tokenMaxTtl: 0,
  tokenExplicitMaxTtl: 0,
  tokenPolicies: [],
  tokenNoDefaultPolicy: false,
  tokenNumUses: 0,
  tokenBoundCidrs: [],
};

/** A deprecated alias and its token_* name: either may be given, not both. */
function upgraded<T>(fields: RoleFields, oldName: keyof RoleFields, newName: keyof RoleFields, current: T): T {
  const oldValue = fields[oldName] as T | undefined;
  const newValue = fields[newName] as T | undefined;
  if (oldValue !== undefined && newValue !== undefined) {
    throw badRequest(`cannot specify both "${String(oldName)}" and "${String(newName)}"`);
  }
  return newValue ?? oldValue ?? current;
}

/** Applies a role write to the existing role (or to a new one), with the plugin's checks. */
export function writeRole(existing: JwtRole | undefined, data: Readonly<Record<string, unknown>>, warn: (w: string) => void): JwtRole {
  const fields = parseFields(roleFields, data, warn);
  // As in the plugin, a write without role_type means "oidc", on create and on update alike.
  const roleType = fields.role_type || "oidc";
  if (roleType !== "jwt" && roleType !== "oidc") throw badRequest(`invalid 'role_type': ${roleType}`);
  if (fields.token_type !== undefined && !["service", "default", "default-service"].includes(fields.token_type)) {
    throw badRequest(`token_type "${fields.token_type}" is not supported by keybridge dev: it issues service tokens only`);
  }
  const base = existing ?? emptyRole;
  const period = upgraded(fields, "period", "token_period", 0);
  if (period > 0) throw badRequest("periodic tokens (token_period) are not supported by keybridge dev");
  const tokenBoundCidrs = upgraded(fields, "bound_cidrs", "token_bound_cidrs", base.tokenBoundCidrs);
  if (!parseCidrs(tokenBoundCidrs)) throw badRequest(`invalid token_bound_cidrs: ${tokenBoundCidrs.join(",")}`);

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
    tokenTtl: upgraded(fields, "ttl", "token_ttl", base.tokenTtl),
    tokenMaxTtl: upgraded(fields, "max_ttl", "token_max_ttl", base.tokenMaxTtl),
    tokenExplicitMaxTtl: fields.token_explicit_max_ttl ?? base.tokenExplicitMaxTtl,
    tokenPolicies: upgraded(fields, "policies", "token_policies", base.tokenPolicies),
    tokenNoDefaultPolicy: fields.token_no_default_policy ?? base.tokenNoDefaultPolicy,
    tokenNumUses: upgraded(fields, "num_uses", "token_num_uses", base.tokenNumUses),
    tokenBoundCidrs,
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
  if (role.tokenNumUses < 0) throw badRequest("token_num_uses cannot be negative");
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
    token_ttl: role.tokenTtl,
    token_max_ttl: role.tokenMaxTtl,
    token_explicit_max_ttl: role.tokenExplicitMaxTtl,
    token_period: 0,
    token_policies: role.tokenPolicies,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: role.tokenNumUses,
    token_bound_cidrs: role.tokenBoundCidrs,
    token_type: "default",
  };
}
