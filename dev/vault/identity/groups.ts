// identity/group, identity/group/id/<id> and identity/group/name/<name>: create, update, read,
// delete and list identity groups, with Vault's response shapes. A write without an id but with
// the name of an existing group updates that group (204), as Vault does; a create answers its
// id and name.
import * as z from "zod";
import type { RequestContext, Route } from "../core/backend.ts";
import type { VaultResult } from "../core/envelope.ts";
import { badRequest } from "../core/errors.ts";
import { parseFields, vaultStringList, vaultStringMap } from "../core/fields.ts";
import { groupData, type IdentityGroup, type IdentityStore } from "./identity-store.ts";

const groupFields = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  metadata: vaultStringMap.optional(),
  policies: vaultStringList.optional(),
  member_group_ids: vaultStringList.optional(),
  member_entity_ids: vaultStringList.optional(),
});

type GroupFields = z.infer<typeof groupFields>;

const unique = (items: readonly string[]): string[] => [...new Set(items)];

/** A group's fields checked against the store: type, members, a free name, lower-cased policies. */
function checkedGroup(store: IdentityStore, namespace: string, fields: GroupFields, existing: IdentityGroup | undefined) {
  const type = fields.type ?? existing?.type ?? "internal";
  if (existing && fields.type !== undefined && fields.type !== existing.type) throw badRequest("group type cannot be changed");
  if (type !== "internal" && type !== "external") throw badRequest(`invalid group type "${type}"`);
  const checkedType: IdentityGroup["type"] = type;
  const memberEntityIds = unique(fields.member_entity_ids ?? existing?.memberEntityIds ?? []);
  if (type === "external" && memberEntityIds.length > 0) {
    throw badRequest("member entities can't be set manually for external groups");
  }
  const memberGroupIds = unique(fields.member_group_ids ?? existing?.memberGroupIds ?? []);
  for (const id of memberGroupIds) {
    if (!store.group(namespace, id)) throw badRequest(`invalid member group ID "${id}"`);
    if (existing && id === existing.id) throw badRequest("group cannot be a member of itself");
  }
  const id = existing?.id ?? store.newId();
  const name = fields.name || existing?.name || `group_${id}`;
  const holder = store.groupByName(namespace, name);
  if (holder && holder.id !== id) throw badRequest("group name is already in use");
  const policies = unique((fields.policies ?? existing?.policies ?? []).map((policy) => policy.toLowerCase()));
  return { id, name, type: checkedType, memberEntityIds, memberGroupIds, policies };
}

/** Creates a group, or updates `existing`; answers like Vault (data on create, nothing on update). */
function saveGroup(store: IdentityStore, request: RequestContext, fields: GroupFields, existing: IdentityGroup | undefined): VaultResult | undefined {
  const { namespace } = request;
  const { id, name, type, memberEntityIds, memberGroupIds, policies } = checkedGroup(store, namespace, fields, existing);
  const now = store.now();
  if (existing) {
    existing.name = name;
    existing.policies = policies;
    existing.metadata = fields.metadata ?? existing.metadata;
    existing.memberEntityIds = memberEntityIds;
    existing.memberGroupIds = memberGroupIds;
    existing.lastUpdateTime = now;
    existing.modifyIndex += 1;
    return undefined;
  }
  store.groups.set(id, {
    id,
    namespace,
    name,
    type,
    policies,
    metadata: fields.metadata ?? null,
    memberEntityIds,
    memberGroupIds,
    creationTime: now,
    lastUpdateTime: now,
    modifyIndex: 1,
    aliasId: undefined,
  });
  return { data: { id, name } };
}

/** identity/group: by id when given, else by name (an existing name updates that group). */
function registerGroup(store: IdentityStore, request: RequestContext): VaultResult | undefined {
  const fields = parseFields(groupFields, request.data, request.warn);
  if (fields.id) {
    const existing = store.group(request.namespace, fields.id);
    if (!existing) throw badRequest("invalid group ID given in 'id'");
    return saveGroup(store, request, fields, existing);
  }
  const existing = fields.name ? store.groupByName(request.namespace, fields.name) : undefined;
  return saveGroup(store, request, fields, existing);
}

function listGroupsById(store: IdentityStore, request: RequestContext): VaultResult {
  const groups = store.groupsIn(request.namespace);
  return {
    data: {
      keys: groups.map((group) => group.id).sort(),
      key_info: Object.fromEntries(
        groups.map((group) => [group.id, { name: group.name, num_member_entities: group.memberEntityIds.length, num_parent_groups: 0 }]),
      ),
    },
  };
}

function removeGroup(store: IdentityStore, group: IdentityGroup | undefined): undefined {
  if (group) store.deleteGroup(group);
  return undefined;
}

export function identityGroupRoutes(store: IdentityStore): Route[] {
  const byId = (request: RequestContext) => store.group(request.namespace, request.params.id!);
  const byName = (request: RequestContext) => store.groupByName(request.namespace, request.params.name!);
  const read = (group: IdentityGroup | undefined) => (group ? { data: groupData(store, group) } : undefined);
  return [
    { pattern: /^group\/?$/, write: (request) => registerGroup(store, request) },
    { pattern: /^group\/id\/?$/, list: (request) => listGroupsById(store, request) },
    {
      pattern: /^group\/id\/(?<id>[^/]+)$/,
      exists: (params) => store.groups.has(params.id!),
      read: (request) => read(byId(request)),
      write: (request) => {
        const existing = byId(request);
        if (!existing) throw badRequest("invalid group ID given in the path");
        return saveGroup(store, request, parseFields(groupFields, request.data, request.warn), existing);
      },
      delete: (request) => removeGroup(store, byId(request)),
    },
    {
      pattern: /^group\/name\/?$/,
      list: (request) => ({ data: { keys: store.groupsIn(request.namespace).map((group) => group.name).sort() } }),
    },
    {
      pattern: /^group\/name\/(?<name>[^/]+)$/,
      read: (request) => read(byName(request)),
      write: (request) => {
        const fields = parseFields(groupFields, request.data, request.warn);
        return saveGroup(store, request, { ...fields, name: request.params.name! }, byName(request));
      },
      delete: (request) => removeGroup(store, byName(request)),
    },
  ];
}
