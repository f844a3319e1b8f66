// identity/group-alias and identity/group-alias/id/<id>: the alias that ties an external group to
// a group name from an auth mount (an SSO group, say). Vault's checks: the mount accessor must
// name an auth mount, the group must exist and be external, a group has at most one alias, and a
// (mount, name) pair belongs to one alias. No login resolves groups through them here.
import * as z from "zod";
import type { RequestContext, Route } from "../core/backend.ts";
import type { VaultResult } from "../core/envelope.ts";
import { badRequest } from "../core/errors.ts";
import { parseFields } from "../core/fields.ts";
import { aliasData, type IdentityGroupAlias, type IdentityStore } from "./identity-store.ts";

const aliasFields = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  mount_accessor: z.string().optional(),
  canonical_id: z.string().optional(),
});

export function identityGroupAliasRoutes(store: IdentityStore): Route[] {
  function save(request: RequestContext, existing: IdentityGroupAlias | undefined): VaultResult | undefined {
    const { namespace } = request;
    const fields = parseFields(aliasFields, request.data, request.warn);
    const name = fields.name ?? existing?.name ?? "";
    const mountAccessor = fields.mount_accessor ?? existing?.mountAccessor ?? "";
    const canonicalId = fields.canonical_id ?? existing?.canonicalId ?? "";
    if (name === "") throw badRequest("missing alias name");
    if (mountAccessor === "") throw badRequest("missing mount_accessor");
    const mount = store.mounts.byAccessor(mountAccessor);
    if (!mount || mount.kind !== "auth" || mount.namespace !== namespace) {
      throw badRequest(`invalid mount accessor "${mountAccessor}"`);
    }
    if (canonicalId === "") throw badRequest("missing canonical_id");
    const group = store.group(namespace, canonicalId);
    if (!group) throw badRequest("invalid group ID given in 'canonical_id'");
    if (group.type !== "external") throw badRequest("alias can't be set on an internal group");
    const id = existing?.id ?? store.newId();
    if (group.aliasId && group.aliasId !== id) throw badRequest("group already has an alias");
    const taken = store
      .aliasesIn(namespace)
      .find((alias) => alias.id !== id && alias.name === name && alias.mountAccessor === mountAccessor);
    if (taken) throw badRequest("combination of mount and group alias name is already in use");

    const now = store.now();
    if (existing) {
      // Moving the alias to another group frees the old one.
      if (existing.canonicalId !== canonicalId) {
        const previous = store.groups.get(existing.canonicalId);
        if (previous) previous.aliasId = undefined;
      }
      Object.assign(existing, { name, mountAccessor, canonicalId, lastUpdateTime: now, modifyIndex: existing.modifyIndex + 1 });
    } else {
      store.aliases.set(id, { id, namespace, name, mountAccessor, canonicalId, creationTime: now, lastUpdateTime: now, modifyIndex: 1 });
    }
    group.aliasId = id;
    return { data: { canonical_id: canonicalId, id } };
  }

  const byId = (request: RequestContext) => store.alias(request.namespace, request.params.id!);

  return [
    {
      pattern: /^group-alias\/?$/,
      write: (request) => {
        const id = request.data.id;
        if (typeof id === "string" && id !== "") {
          const existing = store.alias(request.namespace, id);
          if (!existing) throw badRequest("invalid group alias ID given in 'id'");
          return save(request, existing);
        }
        return save(request, undefined);
      },
    },
    {
      pattern: /^group-alias\/id\/?$/,
      list: (request) => {
        const aliases = store.aliasesIn(request.namespace);
        const info = (alias: IdentityGroupAlias) => {
          const data = aliasData(store, alias);
          const { canonical_id, mount_accessor, mount_path, mount_type, name } = data;
          return { canonical_id, mount_accessor, mount_path, mount_type, name };
        };
        return {
          data: {
            keys: aliases.map((alias) => alias.id).sort(),
            key_info: Object.fromEntries(aliases.map((alias) => [alias.id, info(alias)])),
          },
        };
      },
    },
    {
      pattern: /^group-alias\/id\/(?<id>[^/]+)$/,
      exists: (params) => store.aliases.has(params.id!),
      read: (request) => {
        const alias = byId(request);
        return alias ? { data: aliasData(store, alias) } : undefined;
      },
      write: (request) => {
        const existing = byId(request);
        if (!existing) throw badRequest("invalid group alias ID given in the path");
        return save(request, existing);
      },
      delete: (request) => {
        const alias = byId(request);
        if (alias) {
          const group = store.groups.get(alias.canonicalId);
          if (group?.aliasId === alias.id) group.aliasId = undefined;
          store.aliases.delete(alias.id);
        }
        return undefined;
      },
    },
  ];
}
