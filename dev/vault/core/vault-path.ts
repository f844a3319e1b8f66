// Where a Vault request goes, decided once: X-Vault-Namespace and the request path become one
// canonical path ("team-a/sys/mounts/kv"). The ACL is checked on it and the router serves it; the
// namespace a handler sees is read back from it, never from the header alone. The header may only
// name a namespace that exists, so it cannot turn part of a granted path ("secret/data/team-a/")
// into a prefix that carries sys/, auth/token/ or identity/ requests past the ACL.
import { VaultError } from "./errors.ts";

export interface NamespaceSet {
  exists(namespace: string): boolean;
  /** The longest existing namespace `path` starts with; "" for the root namespace. */
  enclosing(path: string): string;
}

export interface VaultPath {
  /** What the ACL checks and the router serves: namespace + relative. */
  readonly path: string;
  /** "" or "team-a/": the namespace `path` lies in. */
  readonly namespace: string;
  /** `path` without its namespace: where sys/, auth/token/ and identity/ are recognised. */
  readonly relative: string;
}

/** X-Vault-Namespace "ns1" or "/ns1/" → "ns1/"; "" for none; undefined when malformed. */
export function namespacePrefix(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return "";
  const trimmed = header.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const segments = trimmed.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return undefined;
  return `${trimmed}/`;
}

/** Splits a canonical path at the namespace it lies in. */
export function splitPath(path: string, namespaces: NamespaceSet): VaultPath {
  const namespace = namespaces.enclosing(path);
  return { path, namespace, relative: path.slice(namespace.length) };
}

/**
 * The canonical path of a request: `logical` is the clean path after /v1/ (a list's gets its
 * trailing slash). Throws 400 for a malformed header, 403 for a namespace that does not exist.
 */
export function resolveVaultPath(header: string | undefined, logical: string, namespaces: NamespaceSet): VaultPath {
  const prefix = namespacePrefix(header);
  if (prefix === undefined) throw new VaultError(400, ["invalid namespace in X-Vault-Namespace: use a namespace path such as team-a"]);
  if (!namespaces.exists(prefix)) {
    throw new VaultError(403, [`namespace "${prefix}" does not exist: create it with sys/namespaces/${prefix.slice(0, -1)} or drop X-Vault-Namespace`]);
  }
  return splitPath(prefix + logical, namespaces);
}
