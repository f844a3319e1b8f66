// vault_kv_secret_backend_v2: a KV v2 mount's settings (MOUNT/config): max_versions, cas_required,
// delete_version_after.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfNumber, tfString } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";

export const kvSecretBackendV2Applier = defineApplier({
  type: "vault_kv_secret_backend_v2",
  attributes: z.object({
    mount: tfString,
    max_versions: tfNumber.optional(),
    cas_required: tfBool.optional(),
    delete_version_after: tfNumber.optional(),
  }),
  async apply(attributes, vault) {
    const mount = trimSlashes(attributes.mount);
    const { mount: _mount, ...settings } = attributes;
    await vaultData(vault, "POST", `${mount}/config`, defined(settings));
    return { ...attributes, mount, id: `${mount}/config` };
  },
});
