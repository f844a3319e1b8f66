// vault_jwt_auth_backend: enables the JWT/OIDC auth method at `path` (default "jwt") and writes its
// config (key source, bound_issuer, default_role, algorithms) to auth/PATH/config, as the provider
// does. OIDC-flow settings are passed on; the dev backend ignores them with Vault's warning.
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfString, tfStringList, tfStringMap } from "../attributes.ts";
import { vaultData } from "../vault-api.ts";
import { enableAuth } from "./auth-mount-state.ts";
import { tuneAttribute } from "./tune.ts";

export const jwtAuthBackendApplier = defineApplier({
  type: "vault_jwt_auth_backend",
  attributes: z.object({
    path: tfString.optional(),
    type: tfString.refine((type) => type === "jwt" || type === "oidc", { message: 'must be "jwt" or "oidc"' }).optional(),
    description: tfString.optional(),
    oidc_discovery_url: tfString.optional(),
    oidc_discovery_ca_pem: tfString.optional(),
    jwks_url: tfString.optional(),
    jwks_ca_pem: tfString.optional(),
    jwks_pairs: z.array(tfStringMap, { error: "must be a list of maps" }).optional(),
    jwt_validation_pubkeys: tfStringList.optional(),
    jwt_supported_algs: tfStringList.optional(),
    bound_issuer: tfString.optional(),
    default_role: tfString.optional(),
    oidc_client_id: tfString.optional(),
    oidc_client_secret: tfString.optional(),
    oidc_response_mode: tfString.optional(),
    oidc_response_types: tfStringList.optional(),
    provider_config: tfStringMap.optional(),
    namespace_in_state: tfBool.optional(),
    local: tfBool.optional(),
    disable_remount: tfBool.optional(),
    tune: tuneAttribute,
  }),
  computed: ["accessor"],
  sensitive: ["oidc_client_secret"],
  async apply(attributes, vault) {
    const { path: rawPath, type: rawType, description, local, disable_remount: _remount, tune: _tune, ...config } = attributes;
    const path = trimSlashes(rawPath ?? "jwt");
    const type = rawType ?? "jwt";
    const mount = await enableAuth(vault, path, defined({ type, description, local }));
    await vaultData(vault, "POST", `auth/${path}/config`, defined(config));
    return { ...attributes, path, type, id: path, accessor: mount.accessor };
  },
});
