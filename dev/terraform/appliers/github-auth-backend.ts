// vault_github_auth_backend (enables the method at PATH, default github, and writes its config),
// vault_github_user and vault_github_team (map/users/NAME and map/teams/NAME to policies).
import * as z from "zod";
import { defineApplier, trimSlashes } from "../applier.ts";
import { tfString, tfStringList } from "../attributes.ts";
import { tokenFieldAttributes } from "./token-fields.ts";
import { enableWithConfig } from "./auth-backend-config.ts";
import { vaultData } from "../vault-api.ts";

export const githubAuthBackendApplier = defineApplier({
  type: "vault_github_auth_backend",
  attributes: z.object({
    organization: tfString,
    path: tfString.optional(),
    description: tfString.optional(),
    base_url: tfString.optional(),
    organization_id: z.unknown().optional(),
    ...tokenFieldAttributes,
  }),
  computed: ["accessor"],
  async apply(attributes, vault) {
    const { path: _path, description: _description, alias_metadata: _aliasMetadata, ...config } = attributes;
    return { ...attributes, ...(await enableWithConfig(vault, "github", attributes, config)) };
  },
});

async function writeMap(vault: Parameters<typeof vaultData>[0], rawBackend: string | undefined, kind: "users" | "teams", name: string, policies: readonly string[] | undefined) {
  const backend = trimSlashes(rawBackend ?? "github");
  const path = `auth/${backend}/map/${kind}/${name}`;
  await vaultData(vault, "POST", path, { value: (policies ?? []).join(",") });
  return { backend, id: path };
}

export const githubUserApplier = defineApplier({
  type: "vault_github_user",
  attributes: z.object({ backend: tfString.optional(), user: tfString, policies: tfStringList.optional() }),
  async apply(attributes, vault) {
    return { ...attributes, ...(await writeMap(vault, attributes.backend, "users", attributes.user, attributes.policies)) };
  },
});

export const githubTeamApplier = defineApplier({
  type: "vault_github_team",
  attributes: z.object({ backend: tfString.optional(), team: tfString, policies: tfStringList.optional() }),
  async apply(attributes, vault) {
    return { ...attributes, ...(await writeMap(vault, attributes.backend, "teams", attributes.team, attributes.policies)) };
  },
});
