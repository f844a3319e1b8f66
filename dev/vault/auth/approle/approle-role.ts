// AppRole roles as Vault's approle plugin stores them: the fields a role write accepts (the
// token_* fields of tokenutil and the secret_id_* constraints), Vault's defaults, its checks with
// its messages, and the shape a role read answers with.
import * as z from "zod";
import { badRequest } from "../../core/errors.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringList, vaultStringMap } from "../../core/fields.ts";
import { parseCidrs } from "../../core/cidrs.ts";
import { applyTokenFields, either, noTokenSettings, tokenFields, tokenSettingsData, type TokenSettings } from "../../token/token-settings.ts";

export interface AppRole extends TokenSettings {
  readonly bindSecretId: boolean;
  readonly secretIdBoundCidrs: readonly string[];
  readonly secretIdNumUses: number;
  readonly secretIdTtl: number;
  readonly localSecretIds: boolean;
  readonly aliasMetadata: Readonly<Record<string, string>> | null;
}

const roleFields = z.object({
  role_id: z.string().nullish(),
  bind_secret_id: vaultBool.nullish(),
  secret_id_bound_cidrs: vaultStringList.nullish(),
  secret_id_num_uses: vaultInt.nullish(),
  secret_id_ttl: vaultDuration.nullish(),
  local_secret_ids: vaultBool.nullish(),
  ...tokenFields,
  alias_metadata: vaultStringMap.nullish(),
  // Deprecated names Vault still accepts.
  bound_cidr_list: vaultStringList.nullish(),
  policies: vaultStringList.nullish(),
  period: vaultDuration.nullish(),
});

const newRole: AppRole = {
  bindSecretId: true,
  secretIdBoundCidrs: [],
  secretIdNumUses: 0,
  secretIdTtl: 0,
  localSecretIds: false,
  ...noTokenSettings,
  aliasMetadata: null,
};

/** Applies a role write to the existing role (or a new one), with the plugin's checks; the custom role_id is the caller's. */
export function writeAppRole(existing: AppRole | undefined, data: Readonly<Record<string, unknown>>, warn: (w: string) => void): { role: AppRole; roleId: string | undefined } {
  const fields = parseFields(roleFields, data, warn);
  const base = existing ?? newRole;
  if (existing && fields.local_secret_ids != null && fields.local_secret_ids !== existing.localSecretIds) {
    throw badRequest("local_secret_ids can only be modified during role creation");
  }
  const role: AppRole = {
    bindSecretId: fields.bind_secret_id ?? base.bindSecretId,
    secretIdBoundCidrs: either(fields, "bound_cidr_list", "secret_id_bound_cidrs", base.secretIdBoundCidrs),
    secretIdNumUses: fields.secret_id_num_uses ?? base.secretIdNumUses,
    secretIdTtl: fields.secret_id_ttl ?? base.secretIdTtl,
    localSecretIds: fields.local_secret_ids ?? base.localSecretIds,
    ...applyTokenFields(fields, { token_policies: "policies", token_period: "period" }, base),
    aliasMetadata: fields.alias_metadata ?? base.aliasMetadata,
  };
  if (!parseCidrs(role.secretIdBoundCidrs)) throw badRequest(`invalid secret_id_bound_cidrs: ${role.secretIdBoundCidrs.join(",")}`);
  if (role.secretIdNumUses < 0) throw badRequest("secret_id_num_uses cannot be negative");
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
    ...tokenSettingsData(role),
    ...(role.aliasMetadata ? { alias_metadata: role.aliasMetadata } : {}),
    // Vault still answers the deprecated name next to the new one.
    ...(role.tokenPolicies.length > 0 ? { policies: role.tokenPolicies } : {}),
  };
}
