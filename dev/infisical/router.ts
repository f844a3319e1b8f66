// One Infisical API request, from method and path to status and body: the rate limit, the route,
// the handler, Infisical's error envelope (with a reqId) for every refusal, and one audit line.
import type { IncomingHttpHeaders } from "node:http";
import type { AccessToken, AccessTokens } from "./access-tokens.ts";
import type { AuditActor, InfisicalAudit } from "./audit.ts";
import type { AuditLogRows } from "./audit-log.ts";
import { InfisicalError, badRequest, errorBody, newRequestId, notFound, rateLimited, unauthorized } from "./errors.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { parseRequestBody } from "./request-body.ts";
import type { InfisicalStore } from "./store.ts";

export interface InfisicalRequest {
  readonly method: string;
  /** The URL's path, still percent-encoded, starting with /api/. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

export interface InfisicalReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a handler sees, and where it leaves what the audit line says about the request. */
export interface RouteContext {
  readonly request: InfisicalRequest;
  readonly params: Readonly<Record<string, string>>;
  body(): Record<string, unknown>;
  /** The identity behind the Authorization header (one use of its token counted). */
  authenticate(): AccessToken;
  actor?: AuditActor;
  projectId?: string;
  readonly meta: Record<string, unknown>;
}

export interface Route {
  readonly method: string;
  /** Matched against the decoded path; named groups become params. */
  readonly pattern: RegExp;
  /** The audit eventType. */
  readonly event: string;
  handle(context: RouteContext): Promise<unknown> | unknown;
}

export interface RouterDeps {
  readonly routes: readonly Route[];
  readonly store: InfisicalStore;
  readonly tokens: AccessTokens;
  readonly audit: InfisicalAudit;
  /** The rows the audit-log route lists: one per request that succeeded as an identity. */
  readonly auditRows: AuditLogRows;
  readonly limiter: RateLimiter;
  /** Told about a bug (an error that is not a refusal); the client gets a 500 envelope. */
  readonly onInternalError: (error: unknown, method: string, path: string) => void;
}

function decodePath(rawPath: string): string {
  try {
    return rawPath.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw badRequest("The request path has an invalid URL escape; percent-encode it correctly");
  }
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
}

export function createRouter(deps: RouterDeps): (request: InfisicalRequest) => Promise<InfisicalReply> {
  return async (request) => {
    const reqId = newRequestId();
    let path = request.rawPath;
    let route: Route | undefined;
    const context: RouteContext = {
      request,
      params: {},
      meta: {},
      body: () => parseRequestBody(request.headers, request.body),
      authenticate() {
        const presented = bearer(request.headers);
        if (!presented) throw unauthorized("Token missing: send Authorization: Bearer <access token>");
        const token = deps.tokens.authenticate(presented, request.remoteAddress);
        context.actor = { type: "identity", identityId: token.identityId, name: deps.store.identity(token.identityId)?.name ?? "", tokenId: token.id };
        return token;
      },
    };
    let status = 200;
    let body: unknown;
    let headers: Record<string, string> = {};
    let error: string | undefined;
    try {
      const wait = deps.limiter.take(request.remoteAddress);
      if (wait !== undefined) throw rateLimited(wait);
      path = decodePath(request.rawPath);
      const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
      for (const candidate of deps.routes) {
        const match = candidate.method === request.method ? candidate.pattern.exec(trimmed) : null;
        if (match) {
          route = candidate;
          Object.assign(context.params, match.groups ?? {});
          break;
        }
      }
      if (!route) throw notFound(`Route ${request.method}:${path} not found; see the Infisical API subset in keybridge dev --help`);
      body = await route.handle(context);
    } catch (thrown) {
      let failure: InfisicalError;
      if (thrown instanceof InfisicalError) failure = thrown;
      else {
        deps.onInternalError(thrown, request.method, path);
        failure = new InfisicalError(500, "InternalServerError", "Something went wrong; see the keybridge dev log");
      }
      status = failure.status;
      body = errorBody(reqId, failure);
      headers = { ...failure.headers };
      error = typeof failure.detail === "string" ? failure.detail : "validation failed";
    }
    deps.audit.record({
      reqId,
      eventType: route?.event ?? "unknown-route",
      statusCode: status,
      ipAddress: request.remoteAddress,
      userAgent: String(request.headers["user-agent"] ?? ""),
      ...(context.actor ? { actor: context.actor } : {}),
      ...(context.projectId ? { projectId: context.projectId } : {}),
      eventMetadata: context.meta,
      ...(error === undefined ? {} : { error }),
    });
    if (status === 200 && route && context.actor) keepRow(deps, route.event, context, request);
    return { status, body, headers };
  };
}

function keepRow(deps: RouterDeps, eventType: string, context: RouteContext, request: InfisicalRequest): void {
  const { identityId, name } = context.actor!;
  const project = context.projectId === undefined ? undefined : deps.store.projectById(context.projectId);
  deps.auditRows.add({
    actor: "identity",
    actorMetadata: { identityId, name },
    ipAddress: request.remoteAddress,
    eventType,
    eventMetadata: { ...context.meta },
    userAgent: String(request.headers["user-agent"] ?? ""),
    orgId: deps.store.identity(identityId)?.orgId ?? null,
    projectId: project?.id ?? null,
    projectName: project?.name ?? null,
  });
}
