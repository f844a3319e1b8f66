// vault_kv_secret: one KV v1 secret, data_json written as the whole value at PATH.
import * as z from "zod";
import { defineApplier, trimSlashes } from "../applier.ts";
import { tfJsonObject, tfString } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";
import { stringMap } from "./kv-secret-v2.ts";

export const kvSecretApplier = defineApplier({
  type: "vault_kv_secret",
  attributes: z.object({ path: tfString, data_json: tfJsonObject }),
  computed: ["data"],
  sensitive: ["data_json", "data"],
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path);
    await vaultData(vault, "POST", path, attributes.data_json);
    return { path, id: path, data_json: JSON.stringify(attributes.data_json), data: stringMap(attributes.data_json) };
  },
});
