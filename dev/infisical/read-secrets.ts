// The reads behind GET /api/v3/secrets/raw and /api/v4/secrets (list and single): which folders
// and secrets the identity's project roles let it see, values hidden where it may describe but
// not read them, imports listed in order (a folder's own secrets win over imports; among imports
// the bottom-most wins; the client merges), and references expanded on request. Permission
// comes before existence: a refused scope is 403 whether or not it exists.
import { notFound, permissionDenied } from "./errors.ts";
import type { Environment, Folder, Project, SecretRecord } from "./model.ts";
import { can, type PermissionRule, type Scope } from "./permissions.ts";
import { expandReferences, type SecretLocation } from "./references.ts";
import { compareText } from "../../policy/text-order.ts";

export const hiddenValue = "<hidden-by-infisical>";
const maxImportDepth = 10;

export interface ReadOptions {
  readonly project: Project;
  readonly rules: readonly PermissionRule[];
  readonly environment: string;
  readonly secretPath: string;
  readonly includeImports: boolean;
  readonly expand: boolean;
  readonly viewValue: boolean;
}

export interface ListOptions extends ReadOptions {
  readonly recursive: boolean;
  /** Secrets carry no tags here, so any tag filter leaves nothing. */
  readonly tagSlugs: readonly string[];
}

export interface SecretView extends Record<string, unknown> {
  readonly secretKey: string;
  readonly secretValue: string;
  readonly secretValueHidden: boolean;
  readonly secretPath: string;
}

export interface ImportView {
  readonly secretPath: string;
  readonly environment: string;
  readonly folderId: string;
  readonly secrets: SecretView[];
}

const canDo = (options: ReadOptions, action: string, scope: Scope) => can(options.rules, action, "secrets", scope);

function refused(action: string, environment: string, secretPath: string, secretName?: string): never {
  const what = secretName === undefined ? "" : `, secretName '${secretName}'`;
  throw permissionDenied(
    `You are not allowed to ${action} on secrets (environment '${environment}', secretPath '${secretPath}'${what}); grant it in a project role of the identity`,
  );
}

function environmentOf(project: Project, slug: string): Environment {
  const environment = project.environments.get(slug);
  if (!environment) {
    throw notFound(`Environment with slug '${slug}' not found in project '${project.slug}'; use one of ${[...project.environments.keys()].join(", ") || "(none)"}`);
  }
  return environment;
}

export function secretView(options: ReadOptions, environment: string, path: string, secret: SecretRecord, withTimes: boolean): SecretView {
  const location: SecretLocation = { environment, path, key: secret.key };
  const readable = options.viewValue && canDo(options, "readValue", { environment, secretPath: path, secretName: secret.key });
  let value = hiddenValue;
  if (readable) {
    value = options.expand ? expandReferences(secret.value, location, referenceSource(options)) : secret.value;
  }
  return {
    id: secret.id,
    _id: secret.id,
    workspace: options.project.id,
    environment,
    version: secret.version,
    type: "shared",
    secretKey: secret.key,
    secretValue: value,
    secretValueHidden: !readable,
    secretComment: "",
    secretReminderNote: secret.reminder?.note ?? null,
    secretReminderRepeatDays: secret.reminder?.repeatDays ?? null,
    skipMultilineEncoding: false,
    ...(withTimes ? { createdAt: secret.createdAt, updatedAt: secret.updatedAt } : {}),
    secretPath: path,
    secretMetadata: secret.metadata.map((entry) => ({ ...entry })),
    tags: [],
  };
}

function referenceSource(options: ReadOptions) {
  return {
    value: (location: SecretLocation) =>
      options.project.environments.get(location.environment)?.folders.get(location.path)?.secrets.get(location.key)?.value,
    canReadValue: (location: SecretLocation) =>
      canDo(options, "readValue", { environment: location.environment, secretPath: location.path, secretName: location.key }),
  };
}

/** The folder's own secrets the identity may describe. */
function folderSecrets(options: ReadOptions, environment: string, folder: Folder, withTimes: boolean): SecretView[] {
  return [...folder.secrets.values()]
    .filter((secret) => canDo(options, "describeSecret", { environment, secretPath: folder.path, secretName: secret.key }))
    .map((secret) => secretView(options, environment, folder.path, secret, withTimes));
}

/** Imports of a folder, nested ones first (so each import's own secrets win over its imports). */
function importViews(options: ReadOptions, folder: Folder, depth = 0, seen: ReadonlySet<string> = new Set()): ImportView[] {
  const views: ImportView[] = [];
  for (const entry of folder.imports) {
    const source = options.project.environments.get(entry.environment)?.folders.get(entry.path);
    const id = `${entry.environment}:${entry.path}`;
    if (!source || seen.has(id)) continue;
    if (depth + 1 < maxImportDepth) views.push(...importViews(options, source, depth + 1, new Set([...seen, id])));
    views.push({ secretPath: entry.path, environment: entry.environment, folderId: source.id, secrets: folderSecrets(options, entry.environment, source, false) });
  }
  return views;
}

export function listSecrets(options: ListOptions): { secrets: SecretView[]; imports?: ImportView[] } {
  const { environment: slug, secretPath } = options;
  const baseAllowed = canDo(options, "describeSecret", { environment: slug, secretPath });
  if (!options.recursive && !baseAllowed) refused("describeSecret", slug, secretPath);
  const environment = environmentOf(options.project, slug);
  const below = secretPath === "/" ? "/" : `${secretPath}/`;
  const folders = options.recursive
    ? [...environment.folders.values()]
        .filter((folder) => folder.path === secretPath || folder.path.startsWith(below))
        .filter((folder) => canDo(options, "describeSecret", { environment: slug, secretPath: folder.path }))
        .sort((a, b) => compareText(a.path, b.path))
    : [environment.folders.get(secretPath)].filter((folder): folder is Folder => folder !== undefined);
  if (options.recursive && !baseAllowed && folders.length === 0) refused("describeSecret", slug, secretPath);

  const secrets = options.tagSlugs.length > 0 ? [] : folders.flatMap((folder) => folderSecrets(options, slug, folder, true));
  const base = environment.folders.get(secretPath);
  if (!options.includeImports) return { secrets };
  return { secrets, imports: base && options.tagSlugs.length === 0 ? importViews(options, base) : [] };
}

export function getSecret(options: ReadOptions & { readonly secretName: string; readonly version: number | undefined }): SecretView {
  const { environment: slug, secretPath, secretName } = options;
  if (!canDo(options, "describeSecret", { environment: slug, secretPath, secretName })) refused("describeSecret", slug, secretPath, secretName);
  const environment = environmentOf(options.project, slug);
  const folder = environment.folders.get(secretPath);
  const own = folder?.secrets.get(secretName);
  if (own && options.version !== undefined && options.version !== own.version) {
    const earlier = folder!.history.get(secretName)?.find((record) => record.version === options.version);
    if (!earlier) throw notFound(`Secret '${secretName}' has no version ${options.version}; its versions are 1 to ${own.version}`);
    return secretView(options, slug, secretPath, earlier, true);
  }
  let found = own ? secretView(options, slug, secretPath, own, true) : undefined;
  if (!found && folder && options.includeImports) {
    // The bottom-most import that has the key wins.
    found = importViews(options, folder).reverse().flatMap((entry) => entry.secrets).find((secret) => secret.secretKey === secretName);
  }
  if (!found) throw notFound(`Secret with name '${secretName}' not found in ${slug}:${secretPath}; check the name and the secretPath`);
  if (options.version !== undefined && options.version !== found.version) {
    throw notFound(`Secret '${secretName}' has no version ${options.version}; its only version is ${String(found.version)}`);
  }
  return found;
}
