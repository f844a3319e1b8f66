// vault_kv_secret_v2: one KV v2 secret: the data (data_json, or the write-only data_json_wo) as a
// new version at MOUNT/data/NAME, then the key's metadata (custom_metadata block) at
// MOUNT/metadata/NAME, as the provider writes them. When the current version already holds exactly
// that data (kept by --data from an earlier start), no new version is written: Terraform would see
// no change.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfJsonObject, tfNumber, tfSingleBlock, tfString, tfStringMap } from "../attributes.ts";
import { ApplyProblem } from "../problems.ts";
import { vaultData } from "../vault-api.ts";

/** The provider's `data`/`metadata` maps hold strings: other JSON values are kept as JSON text. */
export function stringMap(values: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** JSON with object keys sorted, so that equal data compares equal whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const kvSecretV2Applier = defineApplier({
  type: "vault_kv_secret_v2",
  attributes: z.object({
    mount: tfString,
    name: tfString,
    data_json: tfJsonObject.optional(),
    data_json_wo: tfJsonObject.optional(),
    data_json_wo_version: tfNumber.optional(),
    cas: tfNumber.optional(),
    options: tfStringMap.optional(),
    delete_all_versions: tfBool.optional(),
    disable_read: tfBool.optional(),
    custom_metadata: tfSingleBlock(
      z.object({
        data: tfStringMap.optional(),
        max_versions: tfNumber.optional(),
        cas_required: tfBool.optional(),
        delete_version_after: tfNumber.optional(),
      }),
    ).optional(),
  }),
  computed: ["path", "metadata", "data"],
  sensitive: ["data_json", "data_json_wo", "data"],
  exactlyOneOf: [["data_json", "data_json_wo"]],
  async apply(attributes, vault) {
    const mount = trimSlashes(attributes.mount);
    const name = trimSlashes(attributes.name);
    const data = attributes.data_json ?? attributes.data_json_wo;
    if (!data) throw new ApplyProblem('needs "data_json" or "data_json_wo"; add one of them');
    const path = `${mount}/data/${name}`;
    const options = defined({ ...attributes.options, cas: attributes.cas });
    const current = await vault.call("GET", path);
    const unchanged = current.status === 200 && canonicalJson(current.body?.data?.data) === canonicalJson(data);
    const written = unchanged
      ? current.body.data.metadata
      : await vaultData(vault, "POST", path, { data, ...(Object.keys(options).length > 0 ? { options } : {}) });
    const meta = attributes.custom_metadata;
    if (meta) {
      await vaultData(vault, "POST", `${mount}/metadata/${name}`, defined({
        custom_metadata: meta.data,
        max_versions: meta.max_versions,
        cas_required: meta.cas_required,
        delete_version_after: meta.delete_version_after,
      }));
    }
    return {
      ...attributes,
      mount,
      name,
      // State keeps the JSON text, as Terraform does; the write-only value is never kept.
      data_json: attributes.data_json ? JSON.stringify(attributes.data_json) : undefined,
      data_json_wo: undefined,
      path,
      id: path,
      data: attributes.data_json ? stringMap(attributes.data_json) : undefined,
      metadata: stringMap(defined({ ...written, custom_metadata: meta?.data ?? written?.custom_metadata ?? null })),
    };
  },
});
