// sys/mounts and sys/auth (enable, list, read, disable secrets engines and auth methods) and
// sys/internal/ui/mounts/<path>, which clients such as the Vault CLI use to find a path's engine
// and its KV version.
import * as z from "zod";
import type { Backend, Route, RequestContext } from "../core/backend.ts";
import { badRequest, notFound, permissionDenied, VaultError } from "../core/errors.ts";
import { parseFields, vaultBool } from "../core/fields.ts";
import { mountAccessor, newMountIds, type MountEntry, type MountTable } from "./mounts.ts";
import type { PolicyStore } from "./policy-store.ts";
import type { TokenStore } from "../token/token-store.ts";
import { hasAccessUnder } from "../core/acl.ts";

export interface EngineSpec {
  readonly kind: MountEntry["kind"];
  readonly type: string;
  readonly options: Readonly<Record<string, string>>;
  readonly path: string;
  readonly namespace: string;
  /** The mount's UUID: its engine keeps its state under it. */
  readonly uuid: string;
}

/** Makes the backend of a new mount, or throws the 400 that says why it cannot. */
export type EngineFactory = (spec: EngineSpec) => Backend;

export interface SysMountsOptions {
  readonly mounts: MountTable;
  readonly policies: PolicyStore;
  readonly tokens: TokenStore;
  readonly createEngine: EngineFactory;
  /** Told about a mount being disabled, so that what it issued (leases, tokens) is revoked, as Vault does. */
  readonly onDisable?: (entry: MountEntry) => void;
}

const enableFields = z.object({
  type: z.string().optional(),
  description: z.string().optional(),
  options: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  local: vaultBool.optional(),
  seal_wrap: vaultBool.optional(),
});

const reservedMounts = ["sys/", "auth/", "cubbyhole/", "identity/"];

export function mountInfo(entry: MountEntry): Record<string, unknown> {
  return {
    accessor: entry.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    description: entry.description,
    external_entropy_access: false,
    local: false,
    options: entry.options,
    plugin_version: "",
    running_plugin_version: "",
    running_sha256: "",
    seal_wrap: false,
    type: entry.type,
    uuid: entry.uuid,
  };
}

/** "secret", "/secret/" → "secret/". */
function mountName(raw: string): string {
  const trimmed = raw.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") throw badRequest("missing path");
  return `${trimmed}/`;
}

type Kind = MountEntry["kind"];

/** Where a kind's mount table keys start: "" for engines, "auth/" for auth methods, after the namespace. */
const prefixOf = (kind: Kind, request: RequestContext): string => request.namespace + (kind === "auth" ? "auth/" : "");
const fullPath = (kind: Kind, request: RequestContext): string => prefixOf(kind, request) + mountName(request.params.path!);

/** sys/mounts and sys/auth of one Vault, and what a client learns from sys/internal/ui/mounts. */
class SysMounts {
  /** auth/token/ is built in, not in the table, but clients read its accessor from sys/auth too. */
  private readonly tokenAccessor = mountAccessor("auth", "token");

  constructor(private readonly options: SysMountsOptions) {}

  list(kind: Kind, request: RequestContext) {
    const prefix = prefixOf(kind, request);
    const entries = this.options.mounts.list(kind, request.namespace).map((entry) => [entry.path.slice(prefix.length), mountInfo(entry)]);
    if (kind === "auth") entries.unshift(["token/", { accessor: this.tokenAccessor, type: "token", description: "token based credentials", options: null }]);
    return { data: Object.fromEntries(entries) };
  }

  enable(kind: Kind, request: RequestContext): undefined {
    const { mounts } = this.options;
    const fields = parseFields(enableFields, request.data, request.warn);
    const name = mountName(request.params.path!);
    const path = prefixOf(kind, request) + name;
    if (kind === "secret" && reservedMounts.some((reserved) => name.startsWith(reserved))) {
      throw badRequest(`cannot mount under reserved path "${name}"`);
    }
    const conflict = mounts.conflict(path);
    if (conflict) throw badRequest(`path is already in use at ${conflict.path.slice(prefixOf(kind, request).length)}`);
    let type = fields.type ?? "";
    let engineOptions: Record<string, string> = { ...fields.options };
    if (type === "") throw badRequest("missing type");
    if (kind === "secret" && type === "kv-v2") {
      type = "kv";
      engineOptions = { ...engineOptions, version: "2" };
    }
    const ids = newMountIds(kind, type);
    const backend = this.options.createEngine({ kind, type, options: engineOptions, path, namespace: request.namespace, uuid: ids.uuid });
    mounts.add({ path, namespace: request.namespace, kind, type, description: fields.description ?? "", options: engineOptions, backend, ...ids });
    return undefined;
  }

  readOne(kind: Kind, request: RequestContext) {
    const entry = this.entryAt(kind, request);
    if (!entry) throw badRequest(`No ${kind === "auth" ? "auth" : "secret"} engine mount at ${mountName(request.params.path!)}`);
    return { data: mountInfo(entry) };
  }

  disable(kind: Kind, request: RequestContext): undefined {
    const entry = this.entryAt(kind, request);
    if (entry) {
      this.options.mounts.remove(entry.path);
      this.options.onDisable?.(entry);
    }
    return undefined;
  }

  /** Vault serves this path without the usual ACL check, then checks the token itself. */
  uiMount(request: RequestContext) {
    const { tokens, mounts, policies } = this.options;
    const entry = tokens.lookup(request.presentedToken);
    if (!entry) throw permissionDenied();
    const mount = mounts.find(request.namespace + request.params.path!);
    if (!mount) throw notFound();
    const relative = mount.path.slice(entry.namespace.length);
    if (!mount.path.startsWith(entry.namespace) || !hasAccessUnder(policies.resolve(entry.policies), relative)) {
      throw new VaultError(403, [
        `preflight capability check returned 403, please ensure client's policies grant access to path "${relative}"`,
      ]);
    }
    return { data: { ...mountInfo(mount), path: mount.path.slice(request.namespace.length) } };
  }

  private entryAt(kind: Kind, request: RequestContext): MountEntry | undefined {
    return this.options.mounts.list(kind, request.namespace).find((mount) => mount.path === fullPath(kind, request));
  }
}

export function sysMountRoutes(options: SysMountsOptions): Route[] {
  const sys = new SysMounts(options);
  return [
    { pattern: /^mounts$/, read: (request) => sys.list("secret", request) },
    {
      pattern: /^mounts\/(?<path>.+)$/,
      read: (request) => sys.readOne("secret", request),
      write: (request) => sys.enable("secret", request),
      delete: (request) => sys.disable("secret", request),
    },
    { pattern: /^auth$/, read: (request) => sys.list("auth", request) },
    {
      pattern: /^auth\/(?<path>.+)$/,
      sudo: true,
      read: (request) => sys.readOne("auth", request),
      write: (request) => sys.enable("auth", request),
      delete: (request) => sys.disable("auth", request),
    },
    { pattern: /^internal\/ui\/mounts\/(?<path>.+)$/, unauthenticated: true, read: (request) => sys.uiMount(request) },
  ];
}
