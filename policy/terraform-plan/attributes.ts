// Which top-level attributes of a resource change, by NAME only. Values are compared for equality
// and never copied out. An attribute is sensitive when its `*_sensitive` mask marks it (or
// anything below it), or when it holds the secret data of a secret resource.
import { canonicalKey } from "../canonical.ts";
import type { TerraformChange } from "./schema.ts";

/** Resource types whose data fields are secret values, whatever their masks say. */
export const secretResourceTypes: ReadonlySet<string> = new Set([
  "vault_kv_secret_v2",
  "vault_kv_secret",
  "vault_generic_secret",
  "vault_generic_endpoint",
  "infisical_secret",
]);
const secretDataAttributes: ReadonlySet<string> = new Set(["data", "data_json", "value", "secret_value", "delete_all_versions_data"]);

/** Provider schema names look like this; anything else is not printed, not even as a name. */
const attributeName = /^[A-Za-z0-9_-]{1,64}$/;

export interface AttributeChange {
  readonly name: string;
  readonly sensitive: boolean;
  readonly forcesReplacement: boolean;
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A mask (`true`, or a tree with `true` leaves) marks something. */
export function marksAnything(mask: unknown): boolean {
  if (mask === true) return true;
  if (mask === null || typeof mask !== "object") return false;
  return Object.values(mask as Record<string, unknown>).some(marksAnything);
}

const maskOf = (mask: unknown, name: string): unknown => (mask === true ? true : record(mask)[name]);

export function changedAttributes(type: string, change: TerraformChange): AttributeChange[] {
  const [before, after, unknown] = [record(change.before), record(change.after), record(change.after_unknown)];
  const forcing = new Set((change.replace_paths ?? []).map((path) => path[0]).filter((step): step is string => typeof step === "string"));
  const names = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])].sort();
  return names
    .filter((name) => attributeName.test(name))
    .filter((name) => forcing.has(name) || marksAnything(unknown[name]) || canonicalKey(before[name] ?? null) !== canonicalKey(after[name] ?? null))
    .map((name) => ({
      name,
      sensitive:
        marksAnything(maskOf(change.before_sensitive, name)) ||
        marksAnything(maskOf(change.after_sensitive, name)) ||
        (secretResourceTypes.has(type) && secretDataAttributes.has(name)),
      forcesReplacement: forcing.has(name),
    }));
}
