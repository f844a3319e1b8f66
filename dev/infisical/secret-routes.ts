// GET /api/v3/secrets/raw[/:secretName] (project by workspaceId or workspaceSlug) and
// GET /api/v4/secrets[/:secretName] (projectId only): authenticate the access token, find the
// project, then let the identity's project roles decide what the read shows.
import { badRequest, forbidden, notFound } from "./errors.ts";
import type { AccessToken } from "./access-tokens.ts";
import type { Project } from "./model.ts";
import { getSecret, listSecrets } from "./read-secrets.ts";
import { parseInput, queryObject, v3ListQuery, v3SingleQuery, v4ListQuery, v4SingleQuery } from "./request-schemas.ts";
import type { Route, RouteContext } from "./router.ts";
import type { InfisicalStore } from "./store.ts";

interface ProjectRef {
  readonly workspaceId?: string | undefined;
  readonly workspaceSlug?: string | undefined;
  readonly projectId?: string | undefined;
  readonly environment?: string | undefined;
}

function findProject(store: InfisicalStore, ref: ProjectRef): { project: Project; environment: string } {
  const id = ref.projectId ?? ref.workspaceId;
  if ((!id && !ref.workspaceSlug) || !ref.environment) {
    throw badRequest("Missing project id or environment; send workspaceId or workspaceSlug (v3) or projectId (v4), and environment");
  }
  const project = id ? store.projectById(id) : store.projectBySlug(ref.workspaceSlug!);
  if (!project) throw notFound(id ? `Project with ID '${id}' not found; check the project id` : `Project with slug '${ref.workspaceSlug}' not found; check the project slug`);
  return { project, environment: ref.environment };
}

function readContext(store: InfisicalStore, context: RouteContext, token: AccessToken, ref: ProjectRef) {
  const { project, environment } = findProject(store, ref);
  context.projectId = project.id;
  if (!project.identityMemberships.has(token.identityId)) {
    throw forbidden(`Identity is not a member of the specified project (${project.slug}); add an infisical_project_identity for it`);
  }
  return { project, environment, rules: store.rulesFor(project, token.identityId) };
}

function listRoute(store: InfisicalStore, version: 3 | 4): Route {
  return {
    method: "GET",
    pattern: version === 3 ? /^\/api\/v3\/secrets\/raw$/ : /^\/api\/v4\/secrets$/,
    event: "get-secrets",
    handle(context) {
      // As in Infisical, the token is checked (and a use counted) before the query is validated.
      const token = context.authenticate();
      const query = parseInput(version === 3 ? v3ListQuery : v4ListQuery, queryObject(context.request.query));
      Object.assign(context.meta, { environment: query.environment, secretPath: query.secretPath });
      const { project, environment, rules } = readContext(store, context, token, query);
      const answer = listSecrets({
        project, rules, environment, secretPath: query.secretPath, recursive: query.recursive, includeImports: query.include_imports,
        expand: query.expandSecretReferences, viewValue: query.viewSecretValue, tagSlugs: query.tagSlugs,
      });
      context.meta.numberOfSecrets = answer.secrets.length;
      return answer;
    },
  };
}

function singleRoute(store: InfisicalStore, version: 3 | 4): Route {
  return {
    method: "GET",
    pattern: version === 3 ? /^\/api\/v3\/secrets\/raw\/(?<secretName>[^/]+)$/ : /^\/api\/v4\/secrets\/(?<secretName>[^/]+)$/,
    event: "get-secret",
    handle(context) {
      const token = context.authenticate();
      const query = parseInput(version === 3 ? v3SingleQuery : v4SingleQuery, queryObject(context.request.query));
      const secretName = context.params.secretName!;
      Object.assign(context.meta, { environment: query.environment, secretPath: query.secretPath, secretKey: secretName });
      const { project, environment, rules } = readContext(store, context, token, query);
      if (query.type === "personal") throw notFound(`Secret with name '${secretName}' not found: keybridge dev has no personal secrets; ask for type=shared`);
      const secret = getSecret({
        project, rules, environment, secretPath: query.secretPath, secretName, version: query.version,
        includeImports: query.include_imports, expand: query.expandSecretReferences, viewValue: query.viewSecretValue,
      });
      context.meta.secretVersion = secret.version;
      return { secret };
    },
  };
}

/**
 * Infisical checks permissions on secretPath as sent: "database" does not match a role's
 * {"$eq": "/database"} there. keybridge dev reads it as "/database" (as its folder lookup does)
 * but says so once per path, so a client that drops the slash is caught before production.
 */
function relativePathWarning(warn: (line: string) => void): (context: RouteContext) => void {
  const seen = new Set<string>();
  return (context) => {
    const raw = context.request.query.get("secretPath")?.trim();
    if (!raw || raw.startsWith("/") || seen.has(raw)) return;
    seen.add(raw);
    warn(`keybridge dev: warning: secretPath "${raw}" has no leading slash; read as "/${raw}" here, but Infisical checks role conditions on the path as sent (so {"$eq": "/${raw}"} refuses it): send "/${raw}"`);
  };
}

export function secretRoutes(store: InfisicalStore, warn: (line: string) => void): Route[] {
  const check = relativePathWarning(warn);
  return [listRoute(store, 3), singleRoute(store, 3), listRoute(store, 4), singleRoute(store, 4)].map((route) => ({
    ...route,
    handle(context: RouteContext) {
      check(context);
      return route.handle(context);
    },
  }));
}
