// vault_mount: enables a secrets engine at a path (POST sys/mounts/PATH). A path that is already
// mounted with the same type and KV version (the dev backend's secret/ is KV v2) counts as applied,
// as if Terraform had imported it; any other mount there makes Vault answer "path is already in use".
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfString } from "../attributes.ts";
import { mountAttributes } from "./mount-attributes.ts";
import { vaultData, type VaultApi } from "../vault-api.ts";

/** Engine type and KV version as Vault stores them: "kv-v2" is kv with version 2, kv defaults to 1. */
function engineOf(type: string, options: Readonly<Record<string, string>>): { type: string; version: string | undefined } {
  if (type === "kv-v2") return { type: "kv", version: "2" };
  return { type, version: type === "kv" ? (options.version ?? "1") : options.version };
}

async function existingMount(vault: VaultApi, path: string): Promise<{ type: string; options: Record<string, string> | null; accessor: string } | undefined> {
  const answer = await vault.call("GET", `sys/mounts/${path}`);
  return answer.status === 200 ? answer.body?.data : undefined;
}

export const mountApplier = defineApplier({
  type: "vault_mount",
  attributes: z.object({
    path: tfString,
    type: tfString,
    ...mountAttributes,
  }),
  computed: ["accessor"],
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path);
    const options = attributes.options ?? {};
    const wanted = engineOf(attributes.type, options);
    const found = await existingMount(vault, path);
    const same = found && found.type === wanted.type && engineOf(found.type, found.options ?? {}).version === wanted.version;
    if (!same) {
      await vaultData(vault, "POST", `sys/mounts/${path}`, defined({
        type: attributes.type,
        description: attributes.description,
        options: attributes.options,
        local: attributes.local,
        seal_wrap: attributes.seal_wrap,
        config: defined({ default_lease_ttl: attributes.default_lease_ttl_seconds, max_lease_ttl: attributes.max_lease_ttl_seconds }),
      }));
    }
    const mounted = same ? found : await existingMount(vault, path);
    return { ...attributes, path, id: path, accessor: mounted?.accessor ?? "", options };
  },
});
