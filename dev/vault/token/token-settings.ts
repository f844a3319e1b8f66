// The token_* fields every role of an auth method takes (Vault's tokenutil): their schema, their
// defaults, how a write applies them (a plugin's deprecated aliases included), their checks, and
// how a role read shows them. JWT and AppRole roles both embed them.
import * as z from "zod";
import { badRequest } from "../core/errors.ts";
import { vaultBool, vaultDuration, vaultInt, vaultStringList } from "../core/fields.ts";
import { parseCidrs } from "../core/cidrs.ts";

export interface TokenSettings {
  readonly tokenTtl: number;
  readonly tokenMaxTtl: number;
  readonly tokenExplicitMaxTtl: number;
  readonly tokenPolicies: readonly string[];
  readonly tokenNoDefaultPolicy: boolean;
  readonly tokenNumUses: number;
  readonly tokenBoundCidrs: readonly string[];
}

export const noTokenSettings: TokenSettings = {
  tokenTtl: 0,
  tokenMaxTtl: 0,
  tokenExplicitMaxTtl: 0,
  tokenPolicies: [],
  tokenNoDefaultPolicy: false,
  tokenNumUses: 0,
  tokenBoundCidrs: [],
};

export const tokenFields = {
  token_ttl: vaultDuration.nullish(),
  token_max_ttl: vaultDuration.nullish(),
  token_explicit_max_ttl: vaultDuration.nullish(),
  token_period: vaultDuration.nullish(),
  token_policies: vaultStringList.nullish(),
  token_no_default_policy: vaultBool.nullish(),
  token_num_uses: vaultInt.nullish(),
  token_bound_cidrs: vaultStringList.nullish(),
  token_type: z.string().nullish(),
};

type AliasedField = "token_ttl" | "token_max_ttl" | "token_period" | "token_policies" | "token_num_uses" | "token_bound_cidrs";

/** The deprecated names a plugin still accepts, by the token_* field they stand for. */
export type TokenAliases = Partial<Record<AliasedField, string>>;

/** A deprecated alias and its new name: either may be given, not both. */
export function either<T>(fields: Readonly<Record<string, unknown>>, oldName: string | undefined, newName: string, current: T): T {
  const oldValue = oldName === undefined ? undefined : (fields[oldName] as T | null | undefined);
  const newValue = fields[newName] as T | null | undefined;
  if (oldValue != null && newValue != null) throw badRequest(`cannot specify both "${oldName}" and "${newName}"`);
  return newValue ?? oldValue ?? current;
}

/** Applies the token_* fields of a role write to the role's current settings, with tokenutil's checks. */
export function applyTokenFields(fields: Readonly<Record<string, unknown>>, aliases: TokenAliases, base: TokenSettings): TokenSettings {
  if (either(fields, aliases.token_period, "token_period", 0) > 0) throw badRequest("periodic tokens (token_period) are not supported by keybridge dev");
  const tokenType = fields.token_type;
  if (tokenType != null && !["service", "default", "default-service"].includes(String(tokenType))) {
    throw badRequest(`token_type "${String(tokenType)}" is not supported by keybridge dev: it issues service tokens only`);
  }
  const settings: TokenSettings = {
    tokenTtl: either(fields, aliases.token_ttl, "token_ttl", base.tokenTtl),
    tokenMaxTtl: either(fields, aliases.token_max_ttl, "token_max_ttl", base.tokenMaxTtl),
    tokenExplicitMaxTtl: (fields.token_explicit_max_ttl as number | null | undefined) ?? base.tokenExplicitMaxTtl,
    tokenPolicies: either(fields, aliases.token_policies, "token_policies", base.tokenPolicies),
    tokenNoDefaultPolicy: (fields.token_no_default_policy as boolean | null | undefined) ?? base.tokenNoDefaultPolicy,
    tokenNumUses: either(fields, aliases.token_num_uses, "token_num_uses", base.tokenNumUses),
    tokenBoundCidrs: either(fields, aliases.token_bound_cidrs, "token_bound_cidrs", base.tokenBoundCidrs),
  };
  if (!parseCidrs(settings.tokenBoundCidrs)) throw badRequest(`invalid token_bound_cidrs: ${settings.tokenBoundCidrs.join(",")}`);
  if (settings.tokenNumUses < 0) throw badRequest("token_num_uses cannot be negative");
  return settings;
}

/** The token_* fields of a role read. */
export function tokenSettingsData(settings: TokenSettings): Record<string, unknown> {
  return {
    token_ttl: settings.tokenTtl,
    token_max_ttl: settings.tokenMaxTtl,
    token_explicit_max_ttl: settings.tokenExplicitMaxTtl,
    token_period: 0,
    token_policies: settings.tokenPolicies,
    token_no_default_policy: settings.tokenNoDefaultPolicy,
    token_num_uses: settings.tokenNumUses,
    token_bound_cidrs: settings.tokenBoundCidrs,
    token_type: "default",
  };
}
