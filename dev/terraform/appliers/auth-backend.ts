// vault_auth_backend: enables an auth method of `type` at `path` (default: the type's name).
import * as z from "zod";
import { defineApplier, defined, trimSlashes } from "../applier.ts";
import { tfBool, tfString } from "../attributes.ts";
import { enableAuth } from "./auth-mount-state.ts";
import { tuneAttribute } from "./tune.ts";

export const authBackendApplier = defineApplier({
  type: "vault_auth_backend",
  attributes: z.object({
    type: tfString,
    path: tfString.optional(),
    description: tfString.optional(),
    local: tfBool.optional(),
    disable_remount: tfBool.optional(),
    identity_token_key: tfString.optional(),
    tune: tuneAttribute,
  }),
  computed: ["accessor"],
  async apply(attributes, vault) {
    const path = trimSlashes(attributes.path ?? attributes.type);
    const mount = await enableAuth(vault, path, defined({ type: attributes.type, description: attributes.description, local: attributes.local }));
    return { ...attributes, path, id: path, accessor: mount.accessor };
  },
});
