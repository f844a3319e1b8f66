// Terraform resource instances as the access graph reads them: attributes already evaluated
// (for_each expanded, variables resolved), with what only an apply can know (an `id`) left as a
// reference to where it comes from, so resources that point at each other can still be joined.

export interface ResourceInstance {
  readonly mode: "managed" | "data";
  readonly type: string;
  /** `vault_policy.ci["prod"]`, `module.ci.vault_policy.read`. */
  readonly address: string;
  /** Evaluated attributes and nested blocks (lists of objects); computed values are ComputedValue. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A value known only after apply, by the attribute it comes from: `infisical_identity.ci.id`. */
export class ComputedValue {
  constructor(readonly origin: string) {}
}

/** The resource address a computed value points into (`infisical_identity.ci["a"]` of `…["a"].id`). */
export function referencedAddress(value: unknown): string | undefined {
  if (!(value instanceof ComputedValue)) return undefined;
  const at = value.origin.lastIndexOf(".");
  return at > 0 ? value.origin.slice(0, at) : undefined;
}

export const text = (value: unknown): string | undefined => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined);

/** A list attribute, or Vault's comma-separated string form of one. */
export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === "string" || typeof item === "number" ? [String(item)] : []));
  if (typeof value === "string") return value === "" ? [] : value.split(",").map((item) => item.trim());
  return [];
}

const units: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
export function seconds(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const found = value.match(/^(\d+)([smhd]?)$/);
  return found ? Number(found[1]) * units[found[2] || "s"]! || undefined : undefined;
}
