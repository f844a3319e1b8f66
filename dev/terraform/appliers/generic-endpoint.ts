// vault_generic_endpoint: data_json written to any PATH (our synth sets KV v2 custom metadata this
// way). write_fields picks fields of Vault's answer into write_data, as the provider does.
import * as z from "zod";
import { defineApplier, trimSlashes } from "../applier.ts";
import { tfBool, tfJsonObject, tfString, tfStringList } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";
import { stringMap } from "./kv-secret-v2.ts";

export const genericEndpointApplier = defineApplier({
  type: "vault_generic_endpoint",
  attributes: z.object({
    path: tfString,
    data_json: tfJsonObject,
    disable_read: tfBool.optional(),
    disable_delete: tfBool.optional(),
    ignore_absent_fields: tfBool.optional(),
    write_fields: tfStringList.optional(),
  }),
  computed: ["write_data", "write_data_json"],
  sensitive: ["data_json"],
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path);
    const answer: Record<string, unknown> = (await vaultData(vault, "POST", path, attributes.data_json)) ?? {};
    const picked = Object.fromEntries((attributes.write_fields ?? []).filter((field) => field in answer).map((field) => [field, answer[field]]));
    return {
      ...attributes,
      path,
      id: path,
      data_json: JSON.stringify(attributes.data_json),
      write_data: stringMap(picked),
      write_data_json: JSON.stringify(picked),
    };
  },
});
