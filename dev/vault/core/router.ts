// One Vault API request, from method and clean path to status and body: decide the operation,
// find the area that answers the path, authenticate the token, check the ACL (before anything is
// read or written), run the handler, shape the envelope, and write both audit entries.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { matchRoute, type Backend, type Handler, type RequestContext, type Route } from "./backend.ts";
import type { Operation } from "./acl.ts";
import { errorBody, successJson, type RawBody, type VaultResult } from "./envelope.ts";
import { aclDenied, badRequest, noHandler, permissionDenied, unsupportedOperation, VaultError } from "./errors.ts";
import type { MountTable } from "../sys/mounts.ts";
import type { PolicyStore } from "../sys/policy-store.ts";
import type { TokenEntry, TokenStore } from "../token/token-store.ts";
import type { AuditEvent, AuditLog } from "../sys/audit-log.ts";
import { resolveVaultPath, splitPath, type NamespaceSet, type VaultPath } from "./vault-path.ts";
import { addressAllowed, parseCidrs } from "./cidrs.ts";
import { DataDirError } from "../../persist/errors.ts";
import { jsonDepth, maxJsonDepth, tooDeepMessage } from "../../json-input.ts";

/** The query parameters, read only: a request without any shares one empty set. */
export type RequestQuery = Pick<URLSearchParams, "get" | "getAll" | "keys" | "size">;

export interface VaultHttpRequest {
  readonly method: string;
  /** Decoded, clean, without the leading "/v1/". */
  readonly path: string;
  readonly query: RequestQuery;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

export interface VaultHttpReply {
  readonly status: number;
  /** An error body, sent as JSON; neither body nor json: no body (204). */
  readonly body?: unknown;
  /** The success envelope, serialized already (successJson). */
  readonly json?: string;
  /** Sent instead of body, as it is. */
  readonly raw?: RawBody;
}

export interface VaultCore {
  readonly mounts: MountTable;
  readonly tokens: TokenStore;
  readonly policies: PolicyStore;
  readonly audit: AuditLog;
  readonly system: Backend;
  readonly tokenAuth: Backend;
  /** identity/: built in like sys/, never a mount. */
  readonly identity: Backend;
  /** The namespaces that exist: the only ones a header or a path prefix may name. */
  readonly namespaces: NamespaceSet;
  /** Resolves once what requests changed so far is saved; undefined when there is nothing to wait for (no data directory). */
  readonly commit: () => Promise<void> | undefined;
}

type Verb = "read" | "list" | "write" | "patch" | "delete";

export interface Target {
  readonly backend: Backend;
  readonly route: Route | undefined;
  readonly params: Record<string, string>;
  /** The namespace the served path lies in. */
  readonly namespace: string;
}

/** sys/, auth/token/ and identity/ of every namespace: built in, never mounts. */
function builtInAreas(core: VaultCore): readonly (readonly [string, Backend])[] {
  return [
    ["sys/", core.system],
    ["auth/token/", core.tokenAuth],
    ["identity/", core.identity],
  ];
}

/** The built-in area (its prefix and backend) a path relative to its namespace lies in. */
function builtInArea(areas: readonly (readonly [string, Backend])[], relative: string): readonly [string, Backend] | undefined {
  for (const area of areas) {
    if (relative.startsWith(area[0])) return area;
  }
  return undefined;
}

function routeIn(backend: Backend, rest: string, namespace: string): Target {
  const match = matchRoute(backend.routes, rest);
  return { backend, route: match?.route, params: match?.params ?? {}, namespace };
}

function rootNamespaceOnly(path: string, namespace: string): VaultError {
  return badRequest(`"${path}" is served in the root namespace only (keybridge dev keeps one policy store and audit log): send it without namespace "${namespace}"`);
}

const mergePatchType = "application/merge-patch+json";

export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers["x-vault-token"];
  if (typeof header === "string" && header !== "") return header;
  const authorization = headers.authorization ?? "";
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  return bearer?.[1];
}

/** Go's strconv.ParseBool, which Vault uses for ?list=. */
function parseGoBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

function verbOf(request: VaultHttpRequest): Verb {
  switch (request.method) {
    case "GET": {
      const list = request.query.get("list");
      if (list === null || list === "") return "read";
      const parsed = parseGoBool(list);
      if (parsed === undefined) throw new VaultError(400, []);
      return parsed ? "list" : "read";
    }
    case "LIST":
      return "list";
    case "POST":
    case "PUT":
      return "write";
    case "PATCH": {
      const media = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (media === "") throw badRequest("mime: no media type");
      if (media !== mergePatchType) {
        throw new VaultError(415, [`PATCH requires Content-Type of ${mergePatchType}, provided ${media}`]);
      }
      return "patch";
    }
    case "DELETE":
      return "delete";
    default:
      throw new VaultError(405, []);
  }
}

function jsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  // Before parsing: a value nested too deep is refused before anything can store it.
  if (jsonDepth(text) > maxJsonDepth) throw badRequest(`failed to parse JSON input: ${tooDeepMessage()}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // V8's message quotes the input, which may hold a secret: say what is wrong, not what was sent.
    throw badRequest("failed to parse JSON input: the request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("failed to parse JSON input: the request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function queryData(query: RequestQuery): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (query.size === 0) return data;
  for (const key of new Set(query.keys())) {
    if (key === "list") continue;
    const values = query.getAll(key);
    data[key] = values.length === 1 ? values[0] : values;
  }
  return data;
}

export class VaultRouter {
  private readonly areas: readonly (readonly [string, Backend])[];

  constructor(private readonly core: VaultCore) {
    this.areas = builtInAreas(core);
  }

  async handle(request: VaultHttpRequest): Promise<VaultHttpReply> {
    let reply: VaultHttpReply;
    try {
      reply = await this.dispatch(request);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      reply = { status: error.status, body: errorBody(error.errors) };
    }
    // Refusals may change state too (a secret ID's use counted before a CIDR check), and a read may
    // show what an unsaved write did: every answer waits until what it depends on is on disk.
    try {
      const saving = this.core.commit();
      if (saving) await saving;
    } catch (error) {
      if (error instanceof DataDirError) return { status: 503, body: errorBody([error.message]) };
      throw error;
    }
    return reply;
  }

  private async dispatch(request: VaultHttpRequest): Promise<VaultHttpReply> {
    if (request.headers["x-vault-wrap-ttl"] !== undefined) {
      throw badRequest("keybridge dev does not support response wrapping: drop the X-Vault-Wrap-TTL header");
    }
    const verb = verbOf(request);
    const logical = verb === "list" && !request.path.endsWith("/") ? `${request.path}/` : request.path;
    // One canonical path, resolved before anything else: the ACL checks it and targetOf() serves it.
    const resolved = resolveVaultPath(firstHeader(request.headers["x-vault-namespace"]), logical, this.core.namespaces);
    const { path, namespace } = resolved;
    // Vault refuses writes to "dir/" paths: is it a key named "dir/" or a forgotten key name?
    if ((verb === "write" || verb === "patch") && path.endsWith("/")) throw badRequest("cannot write to a path ending in '/'");
    const data = verb === "write" || verb === "patch" ? jsonBody(request.body) : queryData(request.query);
    const target = this.targetOf(resolved);
    const route = target?.route;
    const params = target?.params ?? {};
    const operation: Operation = verb === "write" ? (route?.exists && !route.exists(params) ? "create" : "update") : verb;

    const token = presentedToken(request.headers);
    const entry = route?.unauthenticated ? undefined : usableFrom(this.core.tokens.lookup(token), request.remoteAddress);
    const audited: AuditEvent = {
      id: randomUUID(),
      operation,
      path,
      namespace,
      mountType: target?.backend.type ?? "",
      remoteAddress: request.remoteAddress,
      data,
      presentedToken: route?.unauthenticated ? undefined : token,
      token: entry,
    };
    if (!route?.unauthenticated) {
      const denial = entry ? this.aclDenial(entry, path, operation, route?.sudo === true) : permissionDenied();
      if (denial) {
        this.core.audit.request({ ...audited, error: denial.errors.join("; ") });
        throw denial;
      }
    }
    this.core.audit.request(audited);

    const warnings: string[] = [];
    try {
      if (!target || !route) throw noHandler(path);
      if (route.rootNamespaceOnly && namespace !== "") throw rootNamespaceOnly(path, namespace);
      const handler: Handler | undefined = route[verb];
      if (!handler) throw unsupportedOperation();
      if (entry) this.core.tokens.consumeUse(entry);
      const context: RequestContext = {
        id: audited.id,
        operation,
        path,
        namespace,
        params,
        data,
        token: entry,
        presentedToken: token,
        remoteAddress: request.remoteAddress,
        warn: (warning) => warnings.push(warning),
      };
      const returned = handler(context);
      // Most handlers answer at once: waiting only for those that do not saves a turn of the loop.
      const result = returned instanceof Promise ? await returned : returned;
      const reply = this.reply(audited.id, verb, result, warnings, target.backend.type);
      this.core.audit.response(audited, {
        data: result?.data,
        ...(result?.auth ? { auth: result.auth } : {}),
        warnings,
      });
      return reply;
    } catch (error) {
      if (error instanceof VaultError) this.core.audit.response({ ...audited, error: error.errors.join("; ") }, {});
      throw error;
    }
  }

  /** The area and route that serve a canonical path; its namespace is read from the path itself. */
  locate(path: string): Target | undefined {
    return this.targetOf(splitPath(path, this.core.namespaces));
  }

  private targetOf({ path, namespace, relative }: VaultPath): Target | undefined {
    const builtIn = builtInArea(this.areas, relative);
    if (builtIn) return routeIn(builtIn[1], relative.slice(builtIn[0].length), namespace);
    const mount = this.core.mounts.find(path);
    return mount ? routeIn(mount.backend, path.slice(mount.path.length), namespace) : undefined;
  }

  /** Vault's ACL check for a live token; undefined when the operation is allowed. */
  private aclDenial(entry: TokenEntry, path: string, operation: Operation, sudo: boolean): VaultError | undefined {
    // A token issued in a namespace sees paths relative to it, and nothing outside it.
    if (!path.startsWith(entry.namespace)) return aclDenied();
    return this.core.policies.allows(entry.policies, path.slice(entry.namespace.length), operation, sudo) ? undefined : aclDenied();
  }

  private reply(id: string, verb: Verb, result: VaultResult | undefined, warnings: string[], mountType: string): VaultHttpReply {
    if (!result) {
      // As in Vault, "nothing there" is a 404 for reads, lists and patches, a 204 for the rest.
      if (verb === "read" || verb === "list" || verb === "patch") return { status: 404, body: errorBody([]) };
      if (warnings.length === 0) return { status: 204 };
    }
    if (result?.raw) return { status: result.status ?? 200, raw: result.raw };
    if (verb === "list") {
      const keys = (result?.data as { keys?: unknown[] } | undefined)?.keys;
      if (!keys || keys.length === 0) return { status: 404, body: errorBody([]) };
    }
    // The request's warnings come first, then the handler's own.
    const answered = warnings.length === 0 ? (result ?? {}) : { ...result, warnings: [...warnings, ...(result?.warnings ?? [])] };
    return { status: result?.status ?? 200, json: successJson(id, answered, mountType) };
  }
}

/** A token bound to CIDRs is no token at all from elsewhere: Vault answers permission denied. */
function usableFrom(entry: TokenEntry | undefined, remoteAddress: string): TokenEntry | undefined {
  if (!entry || entry.boundCidrs.length === 0) return entry;
  const allowed = parseCidrs(entry.boundCidrs);
  return allowed && addressAllowed(allowed, remoteAddress) ? entry : undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
