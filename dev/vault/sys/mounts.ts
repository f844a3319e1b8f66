// The mount table: which secrets engine or auth method answers under which path. Auth methods live
// under "auth/"; namespaces are plain path prefixes ("ns1/secret/"). Stored without the backend:
// a restored mount gets a new backend of its type, which restores its own state.
import { randomBytes, randomUUID } from "node:crypto";
import type { Backend } from "../core/backend.ts";
import type { Codec, StateScope } from "../../persist/state-scope.ts";
import { compareText } from "../../../policy/text-order.ts";

export interface MountEntry {
  /** Full path with a trailing slash: "secret/", "auth/jwt/", "ns1/secret/". */
  readonly path: string;
  /** "" for the root namespace, else "ns1/". */
  readonly namespace: string;
  readonly kind: "secret" | "auth";
  readonly type: string;
  readonly description: string;
  readonly accessor: string;
  readonly uuid: string;
  readonly options: Readonly<Record<string, string>>;
  readonly backend: Backend;
}

/** Vault's accessor format: "auth_jwt_1a2b3c4d" for auth methods, "kv_1a2b3c4d" for secrets engines. */
export function mountAccessor(kind: MountEntry["kind"], type: string): string {
  return `${kind === "auth" ? `auth_${type}` : type}_${randomBytes(4).toString("hex")}`;
}

/** A new mount's names: its accessor and the UUID its state is kept under. */
export function newMountIds(kind: MountEntry["kind"], type: string): { accessor: string; uuid: string } {
  return { accessor: mountAccessor(kind, type), uuid: randomUUID() };
}

export type StoredMount = Omit<MountEntry, "backend">;

/** Makes the backend of a mount read back from disk. */
export type MountRestorer = (mount: StoredMount) => Backend;

function mountCodec(restore: MountRestorer): Codec<MountEntry> {
  return {
    encode: ({ backend: _backend, ...stored }) => stored,
    decode: (json) => {
      const stored = json as StoredMount;
      return { ...stored, backend: restore(stored) };
    },
  };
}

export class MountTable {
  private readonly entries: Map<string, MountEntry>;

  constructor(state: StateScope, restore: MountRestorer) {
    this.entries = state.map("mounts", mountCodec(restore));
  }

  /** `entry` has its names from newMountIds(), which its backend's state is kept under. */
  add(entry: MountEntry): MountEntry {
    this.entries.set(entry.path, entry);
    return entry;
  }

  /** The mount with this accessor (identity aliases name their mount this way). */
  byAccessor(accessor: string): MountEntry | undefined {
    for (const entry of this.entries.values()) if (entry.accessor === accessor) return entry;
    return undefined;
  }

  remove(path: string): MountEntry | undefined {
    const entry = this.entries.get(path);
    this.entries.delete(path);
    return entry;
  }

  /** The mount answering `path`: longest prefix; "secret" also finds "secret/" as Vault's router does. */
  find(path: string): MountEntry | undefined {
    let best: MountEntry | undefined;
    for (const entry of this.entries.values()) {
      const hit = path.startsWith(entry.path) || (entry.path.length === path.length + 1 && entry.path.startsWith(path));
      if (hit && (!best || entry.path.length > best.path.length)) best = entry;
    }
    return best;
  }

  /** An existing mount that `path` would overlap (one a prefix of the other), as Vault refuses. */
  conflict(path: string): MountEntry | undefined {
    for (const entry of this.entries.values()) {
      if (path.startsWith(entry.path) || entry.path.startsWith(path)) return entry;
    }
    return undefined;
  }

  all(): MountEntry[] {
    return [...this.entries.values()];
  }

  list(kind: MountEntry["kind"], namespace: string): MountEntry[] {
    return [...this.entries.values()]
      .filter((entry) => entry.kind === kind && entry.namespace === namespace)
      .sort((a, b) => compareText(a.path, b.path));
  }
}
