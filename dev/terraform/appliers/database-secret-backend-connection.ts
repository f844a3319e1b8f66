// vault_database_secret_backend_connection: one connection of a database mount, written to
// BACKEND/config/NAME from its engine block (exactly one, e.g. postgresql { connection_url … }) and
// its settings. The password goes to Vault and nowhere else: not into state, not into a message.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfSingleBlock, tfString } from "../attributes.ts";
import { ApplyProblem } from "../problems.ts";
import { vaultData } from "../vault-api.ts";
import { blockState, connectionBody, connectionSettings, engineBlock, engineNames, type EngineName } from "./database-engines.ts";

const blocks = Object.fromEntries(engineNames.map((engine) => [engine, tfSingleBlock(engineBlock(engine, {})).optional()])) as unknown as Record<EngineName, z.ZodOptional<z.ZodType<Record<string, unknown> | undefined>>>;

export const databaseConnectionApplier = defineApplier({
  type: "vault_database_secret_backend_connection",
  attributes: z.object({ backend: tfString, name: tfString, ...connectionSettings, ...blocks }),
  sensitive: ["data"],
  exactlyOneOf: [engineNames],
  async apply(attributes, vault) {
    const backend = trimSlashes(attributes.backend);
    const name = trimSlashes(attributes.name);
    const engine = engineNames.find((candidate) => attributes[candidate] !== undefined);
    if (!engine) throw new ApplyProblem(`needs one engine block (${engineNames.join(", ")}); add the one of your database`);
    const { backend: _backend, name: _name, data, ...settings } = attributes;
    const engineSettings = Object.fromEntries(Object.entries(settings).filter(([key]) => !(engineNames as string[]).includes(key)));
    const body = { ...connectionBody(engine, attributes[engine]!), ...defined(engineSettings), ...data };
    await vaultData(vault, "POST", `${backend}/config/${name}`, body);
    return { ...attributes, backend, name, id: `${backend}/config/${name}`, [engine]: blockState(attributes[engine]!), plugin_name: body.plugin_name };
  },
});
