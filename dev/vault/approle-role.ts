// AppRole roles as Vault's approle plugin stores them: the fields a role write accepts (the
// token_* fields of tokenutil and the secret_id_* constraints), Vault's defaults, its checks with
// its messages, and the shape a role read answers with.
import * as z from "zod";
import { badRequest } from "./errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList, vaultStringMap } from "./fields.ts";
import { parseCidrs } from "./cidrs.ts";

export interface AppRole {
  readonly bindSecretId: boolean;
  readonly secretIdBoundCidrs: readonly string[];
  readonly secretIdNumUses: number;
  readonly secretIdTtl: number;
  readonly localSecretIds: boolean;
  readonly tokenTtl: number;
  readonly tokenMaxTtl: number;
  readonly tokenExplicitMaxTtl: number;
  readonly tokenPolicies: readonly string[];
  readonly tokenNoDefaultPolicy: boolean;
  readonly tokenNumUses: number;
  readonly tokenBoundCidrs: readonly string[];
  readonly aliasMetadata: Readonly<Record<string, string>> | null;
}

const roleFields = z.object({
  role_id: z.string().nullish(),
  bind_secret_id: vaultBool.nullish(),
  secret_id_bound_cidrs: vaultStringList.nullish(),
  secret_id_num_uses: vaultInt.nullish(),
  secret_id_ttl: vaultDuration.nullish(),
  local_secret_ids: vaultBool.nullish(),
  token_ttl: vaultDuration.nullish(),
  token_max_ttl: vaultDuration.nullish(),
  token_explicit_max_ttl: vaultDuration.nullish(),
  token_period: vaultDuration.nullish(),
  token_policies: vaultStringList.nullish(),
  token_no_default_policy: vaultBool.nullish(),
  token_num_uses: vaultInt.nullish(),
  token_bound_cidrs: vaultStringList.nullish(),
  token_type: z.string().nullish(),
  alias_metadata: vaultStringMap.nullish(),
  // Deprecated names Vault still accepts.
  bound_cidr_list: vaultStringList.nullish(),
  policies: vaultStringList.nullish(),
  period: vaultDuration.nullish(),
});

type RoleFields = z.infer<typeof roleFields>;

const newRole: AppRole = {
  bindSecretId: true,
  secretIdBoundCidrs: [],
  secretIdNumUses: 0,
  secretIdTtl: 0,
  localSecretIds: false,
  tokenTtl: 0,
  tokenMaxTtl: 0,
  tokenExplicitMaxTtl: 0,
  tokenPolicies: [],
  tokenNoDefaultPolicy: false,
  tokenNumUses: 0,
  tokenBoundCidrs: [],
  aliasMetadata: null,
};

/** A deprecated alias and its new name: either may be given, not both. */
function either<T>(fields: RoleFields, oldName: keyof RoleFields, newName: keyof RoleFields, current: T): T {
  const oldValue = fields[oldName] as T | null | undefined;
  const newValue = fields[newName] as T | null | undefined;
  if (oldValue != null && newValue != null) throw badRequest(`cannot specify both "${String(oldName)}" and "${String(newName)}"`);
  return newValue ?? oldValue ?? current;
}

/** Applies a role write to the existing role (or a new one), with the plugin's checks; the custom role_id is the caller's. */
export function writeAppRole(existing: AppRole | undefined, data: Readonly<Record<string, unknown>>, warn: (w: string) => void): { role: AppRole; roleId: string | undefined } {
  const fields = parseFields(roleFields, data, warn);
  const base = existing ?? newRole;
  if ((either(fields, "period", "token_period", 0) ?? 0) > 0) throw badRequest("periodic tokens (token_period) are not supported by keybridge dev");
  if (fields.token_type != null && !["service", "default", "default-service"].includes(fields.token_type)) {
    throw badRequest(`token_type "${fields.token_type}" is not supported by keybridge dev: it issues service tokens only`);
  }
  if (existing && fields.local_secret_ids != null && fields.local_secret_ids !== existing.localSecretIds) {
    throw badRequest("local_secret_ids can only be modified during role creation");
  }
  const role: AppRole = {
    bindSecretId: fields.bind_secret_id ?? base.bindSecretId,
    secretIdBoundCidrs: either(fields, "bound_cidr_list", "secret_id_bound_cidrs", base.secretIdBoundCidrs),
    secretIdNumUses: fields.secret_id_num_uses ?? base.secretIdNumUses,
    secretIdTtl: fields.secret_id_ttl ?? base.secretIdTtl,
    localSecretIds: fields.local_secret_ids ?? base.localSecretIds,
    tokenTtl: fields.token_ttl ?? base.tokenTtl,
    tokenMaxTtl: fields.token_max_ttl ?? base.tokenMaxTtl,
    tokenExplicitMaxTtl: fields.token_explicit_max_ttl ?? base.tokenExplicitMaxTtl,
    tokenPolicies: either(fields, "policies", "token_policies", base.tokenPolicies),
    tokenNoDefaultPolicy: fields.token_no_default_policy ?? base.tokenNoDefaultPolicy,
    tokenNumUses: fields.token_num_uses ?? base.tokenNumUses,
    tokenBoundCidrs: fields.token_bound_cidrs ?? base.tokenBoundCidrs,
    aliasMetadata: fields.alias_metadata ?? base.aliasMetadata,
  };
  for (const [name, cidrs] of [["secret_id_bound_cidrs", role.secretIdBoundCidrs], ["token_bound_cidrs", role.tokenBoundCidrs]] as const) {
    if (!parseCidrs(cidrs)) throw badRequest(`invalid ${name}: ${cidrs.join(",")}`);
  }
  if (role.secretIdNumUses < 0) throw badRequest("secret_id_num_uses cannot be negative");
  if (role.tokenNumUses < 0) throw badRequest("token_num_uses cannot be negative");
  // Without a secret id, something else must stand between the role id and a token.
  if (!role.bindSecretId && role.secretIdBoundCidrs.length === 0 && role.tokenBoundCidrs.length === 0) {
    throw badRequest("at least one constraint should be enabled on the role");
  }
  if (role.tokenMaxTtl > 0 && role.tokenTtl > role.tokenMaxTtl) throw badRequest("token_ttl should not be greater than token_max_ttl");
  return { role, roleId: fields.role_id ?? undefined };
}

/** The `data` of a role read, with the plugin's field names. */
export function appRoleData(role: AppRole): Record<string, unknown> {
  return {
    bind_secret_id: role.bindSecretId,
    local_secret_ids: role.localSecretIds,
    secret_id_bound_cidrs: role.secretIdBoundCidrs,
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTtl,
    token_bound_cidrs: role.tokenBoundCidrs,
    token_explicit_max_ttl: role.tokenExplicitMaxTtl,
    token_max_ttl: role.tokenMaxTtl,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: role.tokenNumUses,
    token_period: 0,
    token_policies: role.tokenPolicies,
    token_ttl: role.tokenTtl,
    token_type: "default",
    ...(role.aliasMetadata ? { alias_metadata: role.aliasMetadata } : {}),
    // Vault still answers the deprecated name next to the new one.
    ...(role.tokenPolicies.length > 0 ? { policies: role.tokenPolicies } : {}),
  };
}
