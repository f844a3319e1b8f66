// Namespaces (Vault Enterprise's sys/namespaces): a namespace exists only once it is created here,
// in the root namespace. X-Vault-Namespace and path prefixes name only namespaces that exist, so
// no path inside a mount ("secret/data/team-a") can pass for one. One level deep: keybridge dev
// keeps one policy store and one audit log, served in the root namespace alone.
import { randomBytes } from "node:crypto";
import type { Route, RequestContext } from "../core/backend.ts";
import { badRequest } from "../core/errors.ts";
import type { MountTable } from "./mounts.ts";
import { plainCodec, type StateScope } from "../../persist/state-scope.ts";

interface StoredNamespace {
  /** "team-a/" */
  readonly path: string;
  readonly id: string;
}

const namePattern = /^[A-Za-z0-9_.-]+$/;
/** Names that would shadow the built-in areas of the root namespace. */
const reservedNames = new Set(["sys", "auth", "identity", "cubbyhole", "root"]);

export class NamespaceStore {
  private readonly entries: Map<string, StoredNamespace>;

  constructor(state: StateScope) {
    this.entries = state.map("namespaces", plainCodec<StoredNamespace>());
  }

  /** "" (the root namespace) always exists; "team-a/" once created. */
  exists(namespace: string): boolean {
    return namespace === "" || this.entries.has(namespace);
  }

  /** The namespace a canonical path lies in: the longest existing one it starts with. */
  enclosing(path: string): string {
    let best = "";
    for (const namespace of this.entries.keys()) {
      if (path.startsWith(namespace) && namespace.length > best.length) best = namespace;
    }
    return best;
  }

  add(path: string): StoredNamespace {
    const entry = { path, id: randomBytes(3).toString("base64url").slice(0, 5) };
    this.entries.set(path, entry);
    return entry;
  }

  get(path: string): StoredNamespace | undefined {
    return this.entries.get(path);
  }

  remove(path: string): void {
    this.entries.delete(path);
  }

  paths(): string[] {
    return [...this.entries.keys()].sort();
  }
}

function namespaceName(raw: string): string {
  const name = raw.replace(/^\/+|\/+$/g, "");
  if (!namePattern.test(name) || name === "." || name === ".." || reservedNames.has(name)) {
    throw badRequest(`invalid namespace name "${name}": use letters, digits, "_", "-" or "." (one level; not sys, auth, identity, cubbyhole or root)`);
  }
  return `${name}/`;
}

export function sysNamespaceRoutes(namespaces: NamespaceStore, mounts: MountTable): Route[] {
  const info = (entry: StoredNamespace) => ({ data: { id: entry.id, path: entry.path, custom_metadata: {} } });

  function create(request: RequestContext) {
    const path = namespaceName(request.params.path!);
    const existing = namespaces.get(path);
    if (existing) return info(existing);
    const conflict = mounts.conflict(path);
    if (conflict) throw badRequest(`namespace "${path}" overlaps the mount at ${conflict.path}: pick another name`);
    return info(namespaces.add(path));
  }

  function remove(request: RequestContext): undefined {
    const path = namespaceName(request.params.path!);
    const inside = mounts.list("secret", path).concat(mounts.list("auth", path));
    if (inside.length > 0) throw badRequest(`namespace "${path}" still has mounts (${inside[0]!.path}): disable them first`);
    namespaces.remove(path);
    return undefined;
  }

  return [
    {
      pattern: /^namespaces\/?$/,
      rootNamespaceOnly: true,
      list: () => {
        const keys = namespaces.paths();
        return { data: { keys, key_info: Object.fromEntries(keys.map((key) => [key, info(namespaces.get(key)!).data])) } };
      },
    },
    {
      pattern: /^namespaces\/(?<path>.+)$/,
      rootNamespaceOnly: true,
      exists: (params) => namespaces.exists(`${params.path!.replace(/^\/+|\/+$/g, "")}/`),
      read: (request) => {
        const entry = namespaces.get(`${request.params.path!.replace(/^\/+|\/+$/g, "")}/`);
        return entry ? info(entry) : undefined;
      },
      write: create,
      delete: remove,
    },
  ];
}
