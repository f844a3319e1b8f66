// The organization admin's calls the leaked-credential drill makes: the audit-log list
// (GET /api/v1/organization/audit-logs, with Infisical's filters, date range and paging) and
// detaching an identity's OIDC, universal or Kubernetes auth (DELETE /api/v1/auth/<method>/
// identities/:identityId), which, as in Infisical, invalidates every access token the identity
// holds: its next request is refused with 401, and it cannot log in until the method is attached
// again. GET on the same paths says whether a method is attached. Only an identity whose
// organization role is admin may make them.
import type { AccessTokens } from "./access-tokens.ts";
import type { AuditLogRow, AuditLogRows } from "./audit-log.ts";
import { badRequest, notFound, permissionDenied } from "./errors.ts";
import { auditLogQuery, parseInput, queryObject } from "./request-schemas.ts";
import type { Route, RouteContext } from "./router.ts";
import type { InfisicalStore } from "./store.ts";
import type { TokenLimits } from "./model.ts";

export interface AdminDeps {
  readonly store: InfisicalStore;
  readonly tokens: AccessTokens;
  readonly auditRows: AuditLogRows;
  readonly now: () => number;
}

/** Infisical's largest range between startDate and endDate. */
const maxRangeMonths = 3;

function requireOrgAdmin(deps: AdminDeps, context: RouteContext, action: string): void {
  const token = context.authenticate();
  const role = deps.store.identity(token.identityId)?.orgRole;
  if (role !== "admin") {
    throw permissionDenied(`You are not allowed to ${action} (the identity's organization role is ${role ?? "none"}); run it as an identity with the organization admin role`);
  }
}

function lastMidnight(now: number): number {
  const day = new Date(now);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

function dateRange(now: number, start: string | undefined, end: string | undefined): { startMs: number; endMs: number } {
  const startMs = start === undefined ? lastMidnight(now) : Date.parse(start);
  const endMs = end === undefined ? now : Date.parse(end);
  if (endMs < startMs) throw badRequest("End date cannot be before start date; give an endDate after the startDate");
  const latest = new Date(startMs);
  latest.setUTCMonth(latest.getUTCMonth() + maxRangeMonths);
  if (endMs > latest.getTime()) throw badRequest(`Dates must be within ${maxRangeMonths} months; narrow startDate..endDate`);
  return { startMs, endMs };
}

/** The listed shape: event and actor nested, as the route answers. */
function listed(row: AuditLogRow): Record<string, unknown> {
  const { actor, actorMetadata, eventType, eventMetadata, ...rest } = row;
  return { ...rest, updatedAt: row.createdAt, event: { type: eventType, metadata: eventMetadata }, actor: { type: actor, metadata: actorMetadata } };
}

function listRoute(deps: AdminDeps): Route {
  return {
    method: "GET",
    pattern: /^\/api\/v1\/organization\/audit-logs$/,
    event: "get-audit-logs",
    handle(context) {
      requireOrgAdmin(deps, context, "read the organization's audit logs");
      const query = parseInput(auditLogQuery, queryObject(context.request.query));
      const { startMs, endMs } = dateRange(deps.now(), query.startDate, query.endDate);
      const rows = deps.auditRows.list({
        projectId: query.projectId, environment: query.environment, secretPath: query.secretPath, secretKey: query.secretKey,
        eventTypes: query.eventType, actorType: query.actorType, actor: query.actor, startMs, endMs, offset: query.offset, limit: query.limit,
      });
      return { auditLogs: rows.map(listed) };
    },
  };
}

type Method = "oidc-auth" | "universal-auth" | "kubernetes-auth" | "aws-auth";

const labels: Readonly<Record<Method, string>> = { "oidc-auth": "OIDC auth", "universal-auth": "universal auth", "kubernetes-auth": "Kubernetes auth", "aws-auth": "AWS auth" };
const answerKeys: Readonly<Record<Method, string>> = { "oidc-auth": "identityOidcAuth", "universal-auth": "identityUniversalAuth", "kubernetes-auth": "identityKubernetesAuth", "aws-auth": "identityAwsAuth" };
const lookups: Readonly<Record<Method, (store: InfisicalStore, identityId: string) => (TokenLimits & { readonly id: string }) | undefined>> = {
  "oidc-auth": (store, id) => store.oidcAuth(id),
  "universal-auth": (store, id) => store.universalAuth(id),
  "kubernetes-auth": (store, id) => store.kubernetesAuth(id),
  "aws-auth": (store, id) => store.awsAuth(id),
};

function authAnswer(method: Method, identityId: string, config: TokenLimits & { readonly id: string }): Record<string, unknown> {
  return { [answerKeys[method]]: { id: config.id, identityId, accessTokenTTL: config.ttl, accessTokenMaxTTL: config.maxTtl, accessTokenNumUsesLimit: config.numUsesLimit } };
}

function requireIdentity(deps: AdminDeps, identityId: string): void {
  if (!deps.store.identity(identityId)) throw notFound(`Failed to find identity with ID ${identityId}; check the identity id`);
}

/** GET: the identity's method, or 400 when it has none (Infisical's answer). */
function lookupRoute(deps: AdminDeps, method: Method): Route {
  return {
    method: "GET",
    pattern: new RegExp(`^/api/v1/auth/${method}/identities/(?<identityId>[^/]+)$`),
    event: `get-identity-${method}`,
    handle(context) {
      requireOrgAdmin(deps, context, `read the ${labels[method]} of an identity`);
      const identityId = context.params.identityId!;
      context.meta.identityId = identityId;
      requireIdentity(deps, identityId);
      const config = lookups[method](deps.store, identityId);
      if (!config) throw badRequest(`The identity does not have ${labels[method]} attached`);
      return authAnswer(method, identityId, config);
    },
  };
}

function detachRoute(deps: AdminDeps, method: Method): Route {
  const label = labels[method];
  return {
    method: "DELETE",
    pattern: new RegExp(`^/api/v1/auth/${method}/identities/(?<identityId>[^/]+)$`),
    event: `revoke-identity-${method}`,
    handle(context) {
      requireOrgAdmin(deps, context, `revoke the ${label} of an identity`);
      const identityId = context.params.identityId!;
      context.meta.identityId = identityId;
      requireIdentity(deps, identityId);
      const removed = deps.store.detachAuth(identityId, method);
      if (!removed) throw badRequest(`The identity does not have ${label}; nothing to revoke`);
      // Detaching the method invalidates every token already issued to the identity.
      deps.tokens.revokeIdentity(identityId);
      return authAnswer(method, identityId, removed);
    },
  };
}

export function adminRoutes(deps: AdminDeps): Route[] {
  const methods: Method[] = ["oidc-auth", "universal-auth", "kubernetes-auth", "aws-auth"];
  return [listRoute(deps), ...methods.flatMap((method) => [lookupRoute(deps, method), detachRoute(deps, method)])];
}
