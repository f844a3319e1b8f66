// GET /api/v3/secrets/raw[/:secretName] (project by workspaceId or workspaceSlug) and
// GET /api/v4/secrets[/:secretName] (projectId only): authenticate the access token, find the
// project, then let the identity's project roles decide what the read shows.
import { badRequest, forbidden, notFound, permissionDenied } from "./errors.ts";
import { can, type PermissionRule } from "./permissions.ts";
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

/** The project and the identity's rules in it; refuses a non-member. */
export function readContext(store: InfisicalStore, context: RouteContext, token: AccessToken, ref: ProjectRef) {
  const { project, environment } = findProject(store, ref);
  context.projectId = project.id;
  if (!project.identityMemberships.has(token.identityId)) {
    throw forbidden(`Identity is not a member of the specified project (${project.slug}); add an infisical_project_identity for it`);
  }
  const rules = store.rulesFor(project, token.identityId);
  checkPathAsSent(context, rules, environment);
  return { project, environment, rules };
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
      Object.assign(context.meta, { secretId: secret.id, secretVersion: secret.version });
      return { secret };
    },
  };
}

/**
 * Infisical checks a role's secretPath condition against the path exactly as sent, while its
 * folder lookup adds a missing leading slash: "database" finds /database but does not match
 * {"$eq": "/database"}. So a path without its slash is refused here as there, unless some rule
 * allows it as written.
 */
function checkPathAsSent(context: RouteContext, rules: readonly PermissionRule[], environment: string): void {
  const raw = context.request.query.get("secretPath")?.trim();
  if (!raw || raw.startsWith("/")) return;
  if (!can(rules, "describeSecret", "secrets", { environment, secretPath: raw })) {
    throw permissionDenied(`You are not allowed to describeSecret on secrets (environment '${environment}', secretPath '${raw}'); send the path with its leading slash ("/${raw}")`);
  }
}

export function secretRoutes(store: InfisicalStore): Route[] {
  return [listRoute(store, 3), singleRoute(store, 3), listRoute(store, 4), singleRoute(store, 4)];
}
