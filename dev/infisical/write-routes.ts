// POST (create) and PATCH (update) /api/v3/secrets/raw/:secretName: the identity's project roles
// must grant `create` or `edit` on the secret (environment, folder, name), as Infisical checks
// them. Every update keeps the version it replaces, so the single GET with `version` returns it.
import { badRequest, notFound, permissionDenied } from "./errors.ts";
import type { Folder } from "./model.ts";
import { can } from "./permissions.ts";
import { secretView } from "./read-secrets.ts";
import { parseInput, v3WriteBody } from "./request-schemas.ts";
import type { Route } from "./router.ts";
import { readContext } from "./secret-routes.ts";
import type { InfisicalStore } from "./store.ts";

type WriteAction = "create" | "edit";

function writeRoute(store: InfisicalStore, method: "POST" | "PATCH"): Route {
  const action: WriteAction = method === "POST" ? "create" : "edit";
  return {
    method,
    pattern: /^\/api\/v3\/secrets\/raw\/(?<secretName>[^/]+)$/,
    event: method === "POST" ? "create-secret" : "update-secret",
    handle(context) {
      const token = context.authenticate();
      const body = parseInput(v3WriteBody, context.body());
      const secretName = context.params.secretName!;
      const { environment: slug, secretPath } = body;
      Object.assign(context.meta, { environment: slug, secretPath, secretKey: secretName });
      const { project, environment, rules } = readContext(store, context, token, body);
      if (body.type === "personal") throw badRequest("keybridge dev has no personal secrets; send type=shared");
      if (!can(rules, action, "secrets", { environment, secretPath, secretName })) {
        throw permissionDenied(`You are not allowed to ${action} on secrets (environment '${environment}', secretPath '${secretPath}', secretName '${secretName}'); grant it in a project role of the identity`);
      }
      const folder = folderOf(store, project.id, environment, secretPath);
      const record = method === "POST" ? create(store, project.id, environment, folder, secretName, body.secretValue) : update(store, folder, secretName, body.secretValue);
      Object.assign(context.meta, { secretId: record.id, secretVersion: record.version });
      const options = { project, rules, environment, secretPath, includeImports: false, expand: false, viewValue: true };
      return { secret: secretView(options, environment, secretPath, record, true) };
    },
  };
}

function folderOf(store: InfisicalStore, projectId: string, environment: string, secretPath: string): Folder {
  const folder = store.projectById(projectId)?.environments.get(environment)?.folders.get(secretPath);
  if (!folder) throw notFound(`Folder with path '${secretPath}' in environment with slug '${environment}' not found; create the folder first`);
  return folder;
}

function create(store: InfisicalStore, projectId: string, environment: string, folder: Folder, key: string, value: string) {
  if (folder.secrets.has(key)) throw badRequest(`Secret already exist: ${key} is in ${folder.path}; update it with PATCH`);
  return store.createSecret({ projectId, environment, folderPath: folder.path, key, value, metadata: {}, reminder: undefined });
}

function update(store: InfisicalStore, folder: Folder, key: string, value: string) {
  if (!folder.secrets.has(key)) throw notFound(`Secret named '${key}' not found in ${folder.path}; create it with POST`);
  return store.updateSecretValue(folder, key, value);
}

export function writeRoutes(store: InfisicalStore): Route[] {
  return [writeRoute(store, "POST"), writeRoute(store, "PATCH")];
}
