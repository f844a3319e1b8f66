// Identity groups and group aliases as the identity store keeps them, per namespace, and the
// `data` shapes Vault answers for them. Only storage and lookups: the HTTP side is in
// identity-groups.ts and identity-group-aliases.ts.
import { randomUUID } from "node:crypto";
import type { MountTable } from "../sys/mounts.ts";
import { memoryScope, plainCodec, type StateScope } from "../../persist/state-scope.ts";

export interface IdentityGroup {
  readonly id: string;
  readonly namespace: string;
  name: string;
  readonly type: "internal" | "external";
  policies: string[];
  metadata: Record<string, string> | null;
  memberEntityIds: string[];
  memberGroupIds: string[];
  readonly creationTime: number;
  lastUpdateTime: number;
  modifyIndex: number;
  aliasId: string | undefined;
}

export interface IdentityGroupAlias {
  readonly id: string;
  readonly namespace: string;
  name: string;
  mountAccessor: string;
  canonicalId: string;
  readonly creationTime: number;
  lastUpdateTime: number;
  modifyIndex: number;
}

export class IdentityStore {
  readonly groups: Map<string, IdentityGroup>;
  readonly aliases: Map<string, IdentityGroupAlias>;

  constructor(
    readonly mounts: MountTable,
    readonly now: () => number,
    state: StateScope = memoryScope,
  ) {
    this.groups = state.map("groups", plainCodec<IdentityGroup>());
    this.aliases = state.map("group-aliases", plainCodec<IdentityGroupAlias>());
  }

  newId(): string {
    return randomUUID();
  }

  group(namespace: string, id: string): IdentityGroup | undefined {
    const group = this.groups.get(id);
    return group?.namespace === namespace ? group : undefined;
  }

  groupByName(namespace: string, name: string): IdentityGroup | undefined {
    for (const group of this.groups.values()) if (group.namespace === namespace && group.name === name) return group;
    return undefined;
  }

  groupsIn(namespace: string): IdentityGroup[] {
    return [...this.groups.values()].filter((group) => group.namespace === namespace);
  }

  alias(namespace: string, id: string): IdentityGroupAlias | undefined {
    const alias = this.aliases.get(id);
    return alias?.namespace === namespace ? alias : undefined;
  }

  aliasesIn(namespace: string): IdentityGroupAlias[] {
    return [...this.aliases.values()].filter((alias) => alias.namespace === namespace);
  }

  deleteGroup(group: IdentityGroup): void {
    if (group.aliasId) this.aliases.delete(group.aliasId);
    this.groups.delete(group.id);
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();
const namespaceId = (namespace: string): string => (namespace === "" ? "root" : namespace.slice(0, -1));

export function aliasData(store: IdentityStore, alias: IdentityGroupAlias): Record<string, unknown> {
  const mount = store.mounts.byAccessor(alias.mountAccessor);
  return {
    canonical_id: alias.canonicalId,
    creation_time: iso(alias.creationTime),
    id: alias.id,
    last_update_time: iso(alias.lastUpdateTime),
    merged_from_canonical_ids: null,
    metadata: null,
    modify_index: alias.modifyIndex,
    mount_accessor: alias.mountAccessor,
    mount_path: mount ? mount.path.slice(alias.namespace.length) : "",
    mount_type: mount?.type ?? "",
    name: alias.name,
    namespace_id: namespaceId(alias.namespace),
  };
}

export function groupData(store: IdentityStore, group: IdentityGroup): Record<string, unknown> {
  const alias = group.aliasId ? store.aliases.get(group.aliasId) : undefined;
  const parents = store
    .groupsIn(group.namespace)
    .filter((other) => other.memberGroupIds.includes(group.id))
    .map((other) => other.id);
  return {
    alias: alias ? aliasData(store, alias) : {},
    creation_time: iso(group.creationTime),
    id: group.id,
    last_update_time: iso(group.lastUpdateTime),
    member_entity_ids: group.memberEntityIds,
    member_group_ids: group.memberGroupIds.length > 0 ? group.memberGroupIds : null,
    metadata: group.metadata,
    modify_index: group.modifyIndex,
    name: group.name,
    namespace_id: namespaceId(group.namespace),
    parent_group_ids: parents.length > 0 ? parents : null,
    policies: group.policies,
    type: group.type,
  };
}
