// vault_database_secrets_mount: a database secrets engine at PATH (sys/mounts/PATH, type
// "database") with its connections declared inline as engine blocks, each written to
// PATH/config/NAME as the provider does. Credentials of the blocks go to Vault only, never to state.
// A database engine already at PATH (kept by --data from an earlier start) counts as mounted.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBlocks, tfString } from "../attributes.ts";
import { mountAttributes } from "./mount-attributes.ts";
import { vaultData } from "../vault-api.ts";
import { blockState, connectionBody, connectionSettings, engineBlock, engineNames, type EngineName } from "./database-engines.ts";

const blocks = Object.fromEntries(
  engineNames.map((engine) => [engine, tfBlocks(engineBlock(engine, { name: tfString, ...connectionSettings })).optional()]),
) as unknown as Record<EngineName, z.ZodOptional<z.ZodType<Record<string, unknown>[]>>>;

export const databaseSecretsMountApplier = defineApplier({
  type: "vault_database_secrets_mount",
  attributes: z.object({
    path: tfString,
    ...mountAttributes,
    ...blocks,
  }),
  computed: ["accessor", "engine_count"],
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path);
    const found = await vault.call("GET", `sys/mounts/${path}`);
    if (found.status !== 200 || found.body?.data?.type !== "database") await vaultData(vault, "POST", `sys/mounts/${path}`, defined({
      type: "database",
      description: attributes.description,
      options: attributes.options,
      local: attributes.local,
      seal_wrap: attributes.seal_wrap,
      config: defined({ default_lease_ttl: attributes.default_lease_ttl_seconds, max_lease_ttl: attributes.max_lease_ttl_seconds }),
    }));
    const state: Record<string, unknown> = { ...attributes, path, id: path };
    let count = 0;
    for (const engine of engineNames) {
      const declared = attributes[engine];
      if (!declared) continue;
      for (const block of declared) {
        // The block's own settings (allowed_roles, plugin_name, data …) are part of its body.
        await vaultData(vault, "POST", `${path}/config/${trimSlashes(String(block.name))}`, connectionBody(engine, block));
        count++;
      }
      state[engine] = declared.map(blockState);
    }
    const mount = await vaultData(vault, "GET", `sys/mounts/${path}`);
    return { ...state, accessor: mount?.accessor ?? "", engine_count: count };
  },
});
