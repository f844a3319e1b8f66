// What a Vault area (a secrets engine, an auth method, sys/, auth/token/) offers the router: a list
// of routes, each a path pattern relative to the area's mount with one handler per operation kind.
import type { VaultResult } from "./envelope.ts";
import type { Operation } from "./acl.ts";
import type { TokenEntry } from "../token/token-store.ts";

export interface RequestContext {
  readonly id: string;
  readonly operation: Operation;
  /** The full request path, namespace included, without the leading /v1/. */
  readonly path: string;
  /** "" for the root namespace, else "ns1/" (from X-Vault-Namespace). */
  readonly namespace: string;
  /** Named groups of the route's pattern. */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body for writes, the query parameters for reads, lists and deletes. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly token: TokenEntry | undefined;
  /** The token as the client sent it (lookup-self echoes it as `id`). */
  readonly presentedToken: string | undefined;
  readonly remoteAddress: string;
  warn(warning: string): void;
}

export type Handler = (request: RequestContext) => VaultResult | undefined | Promise<VaultResult | undefined>;

export interface Route {
  /** Matched against the path relative to the mount. */
  readonly pattern: RegExp;
  /** Login endpoints: no token needed, no ACL check. */
  readonly unauthenticated?: boolean;
  /** Served in the root namespace alone (policies, audit devices, namespaces themselves). */
  readonly rootNamespaceOnly?: boolean;
  /** Vault's root-protected paths: the ACL must also grant `sudo`. */
  readonly sudo?: boolean;
  /** Tells create from update for POST/PUT, as Vault's existence checks do. Without it, writes are updates. */
  readonly exists?: (params: Readonly<Record<string, string>>) => boolean;
  readonly read?: Handler;
  readonly list?: Handler;
  /** POST and PUT, checked as `create` or `update`. */
  readonly write?: Handler;
  readonly patch?: Handler;
  readonly delete?: Handler;
}

export interface Backend {
  /** The mount type reported in responses and in sys/mounts (kv, jwt, system, token). */
  readonly type: string;
  readonly routes: readonly Route[];
}

export function matchRoute(routes: readonly Route[], relativePath: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(relativePath);
    // The groups object is new for each match: the params, without a copy.
    if (match) return { route, params: match.groups ?? {} };
  }
  return undefined;
}
