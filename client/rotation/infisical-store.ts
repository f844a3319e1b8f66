// Rotation's store on Infisical, through its v3 raw secrets API. A generated secret's path
// "<project>/<environment>/<secret>" is the project (by slug), the environment and the folder
// "/<secret>"; each of its keys is an Infisical secret of that folder. Infisical versions each key
// on its own, so the secret's version is its keys' highest, and version N of the secret is each
// key at its own version minus (current − N): rotation writes every key at once, so they move
// together. Infisical has no check-and-set: the versions are read again right before writing and
// after, and a write that another writer overlapped is reported as a race, never hidden.
import * as z from "zod/mini";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../http/http-client.ts";
import { infisicalApiUrl, infisicalMessage } from "../backends/answers.ts";
import type { SecretVersions, VersionedSecretStore, WriteResult } from "./versioned-store.ts";

export interface InfisicalStoreOptions {
  readonly url: URL;
  readonly token: string;
}

/** Where a generated secret lives in Infisical. */
export interface InfisicalLocation {
  readonly project: string;
  readonly environment: string;
  /** "/<secret>", the secret's own folder. */
  readonly folder: string;
}

const listedKey = z.object({
  secretKey: z.string(),
  version: z.number(),
  workspace: z.optional(z.string()),
  createdAt: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
});
const listAnswer = z.object({ secrets: z.array(listedKey) });
const singleAnswer = z.object({ secret: z.object({ secretValue: z.string(), secretValueHidden: z.optional(z.boolean()) }) });
const writeAnswer = z.object({ secret: z.object({ version: z.number() }) });

type ListedKey = z.infer<typeof listedKey>;

export function infisicalLocation(path: string): InfisicalLocation {
  const [project, environment, ...secret] = path.replace(/^\/+|\/+$/g, "").split("/");
  if (!project || !environment || secret.length === 0 || secret.some((segment) => segment === "")) {
    throw new KeybridgeError("KB_ROTATE_FAILED", `"${path}" is not a generated secret's path: write it as <project>/<environment>/<secret>, for example ml/prod/webhook`);
  }
  return { project, environment, folder: `/${secret.join("/")}` };
}

function time(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const highestVersion = (keys: readonly ListedKey[]) => Math.max(0, ...keys.map((key) => key.version));

export class InfisicalSecretStore implements VersionedSecretStore {
  readonly name = "Infisical";
  /** Project ids by slug, learned from list answers: Infisical's writes name the project by id. */
  private readonly projectIds = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    private readonly options: InfisicalStoreOptions,
  ) {}

  describePath(path: string): string {
    const { project, environment, folder } = infisicalLocation(path);
    return `${project}/${environment}:${folder}`;
  }

  async versions(path: string): Promise<SecretVersions | undefined> {
    const keys = await this.listKeys(path);
    if (keys.length === 0) return undefined;
    const currentVersion = highestVersion(keys);
    // The secret is as old as its least recently written key: due when any key is.
    const written = keys.map((key) => time(key.updatedAt ?? key.createdAt)?.getTime()).filter((stamp) => stamp !== undefined);
    const createdAt = written.length === keys.length ? new Date(Math.min(...written)) : undefined;
    const versions = new Map<number, { createdAt: Date | undefined; gone: boolean }>();
    for (let number = 1; number <= currentVersion; number++) versions.set(number, { createdAt: number === currentVersion ? createdAt : undefined, gone: false });
    return { currentVersion, versions };
  }

  async readVersion(path: string, version: number): Promise<Readonly<Record<string, unknown>> | undefined> {
    const keys = await this.listKeys(path);
    const back = highestVersion(keys) - version;
    const data: Record<string, string> = {};
    for (const key of keys) {
      const keyVersion = key.version - back;
      if (keyVersion >= 1) data[key.secretKey] = await this.readKey(path, key.secretKey, keyVersion);
    }
    return Object.keys(data).length === 0 ? undefined : data;
  }

  async writeVersion(path: string, data: Readonly<Record<string, unknown>>, expectedVersion: number): Promise<WriteResult> {
    const before = await this.listKeys(path);
    if (highestVersion(before) !== expectedVersion) return { conflict: true };
    const existing = new Set(before.map((key) => key.secretKey));
    for (const [key, value] of Object.entries(data)) await this.writeKey(path, key, String(value), existing.has(key));
    const written = highestVersion(await this.listKeys(path));
    return written > expectedVersion + 1 ? { written, raced: true } : { written };
  }

  private async listKeys(path: string): Promise<ListedKey[]> {
    const { project, environment, folder } = infisicalLocation(path);
    const query = new URLSearchParams({ workspaceSlug: project, environment, secretPath: folder, viewSecretValue: "false", include_imports: "false" });
    const response = await this.request("GET", `/api/v3/secrets/raw?${query}`, undefined, `listing the keys of ${this.describePath(path)}`);
    if (response.status === 404) return [];
    const parsed = listAnswer.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.failure(`listing the keys of ${this.describePath(path)}`, response);
    const id = parsed.data.secrets.find((key) => key.workspace)?.workspace;
    if (id) this.projectIds.set(project, id);
    return parsed.data.secrets;
  }

  private async readKey(path: string, key: string, version: number): Promise<string> {
    const { project, environment, folder } = infisicalLocation(path);
    const query = new URLSearchParams({ workspaceSlug: project, environment, secretPath: folder, version: String(version), type: "shared" });
    const what = `reading version ${version} of ${key} in ${this.describePath(path)}`;
    const response = await this.request("GET", `/api/v3/secrets/raw/${encodeURIComponent(key)}?${query}`, undefined, what);
    const parsed = singleAnswer.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.failure(what, response);
    if (parsed.data.secret.secretValueHidden) {
      throw new KeybridgeError("KB_ROTATE_FAILED", `Infisical: ${what}: the value is hidden from this identity; its project role must allow readValue on the folder`);
    }
    return parsed.data.secret.secretValue;
  }

  private async writeKey(path: string, key: string, value: string, exists: boolean): Promise<void> {
    const { project, environment, folder } = infisicalLocation(path);
    const projectId = this.projectIds.get(project);
    const body = { ...(projectId ? { workspaceId: projectId } : {}), workspaceSlug: project, environment, secretPath: folder, secretValue: value, type: "shared" };
    const what = `${exists ? "updating" : "creating"} ${key} in ${this.describePath(path)}`;
    const response = await this.request(exists ? "PATCH" : "POST", `/api/v3/secrets/raw/${encodeURIComponent(key)}`, body, what);
    if (response.status === 200 && typeof response.json === "object" && response.json !== null && "approval" in response.json) {
      throw new KeybridgeError("KB_ROTATE_FAILED", `Infisical: ${what}: a change-approval policy holds the write for review; exempt the rotating identity from the policy of ${environment}:${folder}`);
    }
    if (response.status !== 200 || !writeAnswer.safeParse(response.json).success) throw this.failure(what, response);
  }

  private request(method: "GET" | "POST" | "PATCH", path: string, body: unknown, purpose: string): Promise<HttpResponse> {
    return this.http.request({ method, url: infisicalApiUrl(this.options.url, path), headers: { authorization: `Bearer ${this.options.token}` }, body, purpose });
  }

  /** Infisical's message in one line; a value is never quoted, only the error's words. */
  private failure(what: string, response: HttpResponse): KeybridgeError {
    const advice = response.status === 403
      ? "the identity's project role must allow describeSecret, readValue, create and edit on secrets of the folder"
      : response.status === 404
        ? "check the project slug, the environment and that the folder exists (keybridge synth declares it)"
        : "check the url and that it is Infisical's";
    return new KeybridgeError("KB_ROTATE_FAILED", `Infisical: ${what}: HTTP ${response.status}: ${infisicalMessage(response)}; ${advice}`);
  }
}
