// The mount table: which secrets engine or auth method answers under which path. Auth methods live
// under "auth/"; namespaces are plain path prefixes ("ns1/secret/").
import { randomUUID } from "node:crypto";
import type { Backend } from "./backend.ts";
import { randomBase62 } from "./token-store.ts";

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

export class MountTable {
  private readonly entries = new Map<string, MountEntry>();

  add(spec: Omit<MountEntry, "accessor" | "uuid">): MountEntry {
    const prefix = spec.kind === "auth" ? "auth" : spec.type;
    const entry = { ...spec, accessor: `${prefix}_${spec.type}_${randomBase62(8).toLowerCase()}`, uuid: randomUUID() };
    this.entries.set(entry.path, entry);
    return entry;
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
      const hit = path.startsWith(entry.path) || `${path}/` === entry.path;
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

  list(kind: MountEntry["kind"], namespace: string): MountEntry[] {
    return [...this.entries.values()]
      .filter((entry) => entry.kind === kind && entry.namespace === namespace)
      .sort((a, b) => a.path.localeCompare(b.path));
  }
}
