// vault_auth_backend: enables an auth method of `type` at `path` (default: the type's name).
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfString } from "../attributes.ts";
import { enableAuth } from "./auth-mount-state.ts";

export const tuneUnsupported = "keybridge dev does not tune mounts; remove tune, or apply this file to a real Vault";

export const authBackendApplier = defineApplier({
  type: "vault_auth_backend",
  attributes: z.object({
    type: tfString,
    path: tfString.optional(),
    description: tfString.optional(),
    local: tfBool.optional(),
    disable_remount: tfBool.optional(),
    identity_token_key: tfString.optional(),
  }),
  computed: ["accessor"],
  unsupported: { tune: tuneUnsupported },
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path ?? attributes.type);
    const mount = await enableAuth(vault, path, defined({ type: attributes.type, description: attributes.description, local: attributes.local }));
    return { ...attributes, path, id: path, accessor: mount.accessor };
  },
});
