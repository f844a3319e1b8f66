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

/** The alias's fields checked against the store: an auth mount of this namespace, an external group without another alias, a free name. */
function checkedAlias(store: IdentityStore, namespace: string, fields: z.infer<typeof aliasFields>, existing: IdentityGroupAlias | undefined) {
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
  const taken = store.aliasesIn(namespace).find((alias) => alias.id !== id && alias.name === name && alias.mountAccessor === mountAccessor);
  if (taken) throw badRequest("combination of mount and group alias name is already in use");
  return { id, name, mountAccessor, canonicalId, group };
}

function saveAlias(store: IdentityStore, request: RequestContext, existing: IdentityGroupAlias | undefined): VaultResult | undefined {
  const { namespace } = request;
  const fields = parseFields(aliasFields, request.data, request.warn);
  const { id, name, mountAccessor, canonicalId, group } = checkedAlias(store, namespace, fields, existing);
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

/** identity/group-alias: an update when the body names an existing alias's id, else a create. */
function registerAlias(store: IdentityStore, request: RequestContext): VaultResult | undefined {
  const id = request.data.id;
  if (typeof id === "string" && id !== "") {
    const existing = store.alias(request.namespace, id);
    if (!existing) throw badRequest("invalid group alias ID given in 'id'");
    return saveAlias(store, request, existing);
  }
  return saveAlias(store, request, undefined);
}

function listAliasesById(store: IdentityStore, request: RequestContext): VaultResult {
  const aliases = store.aliasesIn(request.namespace);
  const info = (alias: IdentityGroupAlias) => {
    const { canonical_id, mount_accessor, mount_path, mount_type, name } = aliasData(store, alias);
    return { canonical_id, mount_accessor, mount_path, mount_type, name };
  };
  return {
    data: {
      keys: aliases.map((alias) => alias.id).sort(),
      key_info: Object.fromEntries(aliases.map((alias) => [alias.id, info(alias)])),
    },
  };
}

function deleteAlias(store: IdentityStore, alias: IdentityGroupAlias | undefined): undefined {
  if (alias) {
    const group = store.groups.get(alias.canonicalId);
    if (group?.aliasId === alias.id) group.aliasId = undefined;
    store.aliases.delete(alias.id);
  }
  return undefined;
}

export function identityGroupAliasRoutes(store: IdentityStore): Route[] {
  const byId = (request: RequestContext) => store.alias(request.namespace, request.params.id!);
  return [
    { pattern: /^group-alias\/?$/, write: (request) => registerAlias(store, request) },
    { pattern: /^group-alias\/id\/?$/, list: (request) => listAliasesById(store, request) },
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
        return saveAlias(store, request, existing);
      },
      delete: (request) => deleteAlias(store, byId(request)),
    },
  ];
}
