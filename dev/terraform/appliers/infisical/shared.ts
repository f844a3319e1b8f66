// Attribute shapes several infisical_* resources share: token limits with trusted IPs, role
// assignments (with temporary access), and the timestamp Terraform's state keeps.
import * as z from "zod";
import { parseCidrs } from "../../../vault/core/cidrs.ts";
import { StoreError } from "../../../infisical/store.ts";
import type { RoleBinding, TokenLimits } from "../../../infisical/model.ts";
import { tfBlocks, tfBool, tfNumber, tfString } from "../../attributes.ts";

const twoYearsOfDays = 315_360_000;

export const trustedIpBlocks = tfBlocks(z.object({ ip_address: tfString.optional() }));

export const tokenLimitAttributes = {
  access_token_ttl: tfNumber.optional(),
  access_token_max_ttl: tfNumber.optional(),
  access_token_num_uses_limit: tfNumber.optional(),
  access_token_trusted_ips: trustedIpBlocks.optional(),
};

/** The CIDRs of a trusted-IPs attribute, checked; empty when unset (any address). */
export function trustedIps(blocks: readonly { ip_address?: string | undefined }[] | undefined, attribute: string): string[] {
  const ips = (blocks ?? []).map((block) => block.ip_address ?? "").filter((ip) => ip !== "");
  if (ips.length > 0 && !parseCidrs(ips)) {
    throw new StoreError(`${attribute} holds an address that is not an IP or CIDR (e.g. 10.0.0.0/8); fix it`);
  }
  return ips;
}

/** Infisical's defaults: 30 days for both TTLs, unlimited uses. */
export function tokenLimits(attributes: {
  access_token_ttl?: number | undefined;
  access_token_max_ttl?: number | undefined;
  access_token_num_uses_limit?: number | undefined;
  access_token_trusted_ips?: readonly { ip_address?: string | undefined }[] | undefined;
}): TokenLimits {
  return {
    ttl: attributes.access_token_ttl ?? 2_592_000,
    maxTtl: attributes.access_token_max_ttl ?? 2_592_000,
    numUsesLimit: attributes.access_token_num_uses_limit ?? 0,
    trustedIps: trustedIps(attributes.access_token_trusted_ips, "access_token_trusted_ips"),
  };
}

/** The token limits as the provider reports them back, with Infisical's defaults filled in. */
export function answeredTokenLimits(config: { readonly id: string; readonly ttl: number; readonly maxTtl: number; readonly numUsesLimit: number }) {
  return { id: config.id, access_token_ttl: config.ttl, access_token_max_ttl: config.maxTtl, access_token_num_uses_limit: config.numUsesLimit };
}

export const roleBlocks = tfBlocks(
  z.object({
    role_slug: tfString,
    custom_role_id: tfString.optional(),
    is_temporary: tfBool.optional(),
    temporary_mode: tfString.optional(),
    temporary_range: tfString.optional(),
    temporary_access_start_time: tfString.optional(),
    temporary_access_end_time: tfString.optional(),
  }),
);

type RoleBlock = z.output<typeof roleBlocks>[number];

const rangeUnits: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800, y: 31_536_000 };

/** "1h", "30m", "7d": a temporary role's length in seconds. */
export function parseRange(range: string): number | undefined {
  const match = /^(\d+)\s*([smhdwy])$/.exec(range.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * rangeUnits[match[2]!]!;
  return seconds > 0 && seconds <= twoYearsOfDays ? seconds : undefined;
}

/** Role assignments as the store keeps them: temporary ones get their [start, end) window. */
export function roleBindings(blocks: readonly RoleBlock[]): (RoleBinding & { customRoleId?: string })[] {
  return blocks.map((block) => {
    const custom = block.custom_role_id === undefined ? {} : { customRoleId: block.custom_role_id };
    if (!block.is_temporary) return { slug: block.role_slug, window: undefined, ...custom };
    const seconds = parseRange(block.temporary_range ?? "1h");
    if (seconds === undefined) throw new StoreError(`temporary_range "${block.temporary_range}" of role ${block.role_slug} must look like 30m, 1h or 7d; fix it`);
    const start = block.temporary_access_start_time === undefined ? NaN : Date.parse(block.temporary_access_start_time);
    if (Number.isNaN(start)) {
      throw new StoreError(`role ${block.role_slug} is temporary: set temporary_access_start_time to an ISO time such as 2025-01-15T12:00:00Z`);
    }
    return { slug: block.role_slug, window: { start, end: start + seconds * 1000 }, ...custom };
  });
}

/** The roles as state shows them, with each temporary role's end time. */
export function roleState(blocks: readonly RoleBlock[], bindings: readonly RoleBinding[]): Record<string, unknown>[] {
  return blocks.map((block, index) => {
    const window = bindings[index]?.window;
    return { ...block, ...(window ? { temporary_access_end_time: new Date(window.end).toISOString() } : {}) };
  });
}

export const slugShape = (what: string) =>
  tfString.refine((slug) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 64, {
    message: `must be a ${what} slug: lowercase letters and digits joined by single hyphens, at most 64 characters`,
  });
