// Rotation's store on Vault and OpenBao KV v2: versions from metadata/, data of a version from
// data/?version=N, and writes with options.cas so two rotators racing write one version.
import * as z from "zod/mini";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { HttpClient, HttpResponse } from "../http/http-client.ts";
import { vaultApiUrl, vaultErrors, vaultHeaders } from "../backends/answers.ts";
import type { SecretVersions, VersionedSecretStore, WriteResult } from "./versioned-store.ts";

export interface VaultKvStoreOptions {
  readonly name: "Vault" | "OpenBao";
  readonly url: URL;
  readonly namespace: string | undefined;
  readonly token: string;
  /** The KV v2 mount, e.g. "secret". */
  readonly mount: string;
}

const metadataAnswer = z.object({
  data: z.object({
    current_version: z.number(),
    versions: z.record(z.string(), z.object({
      created_time: z.optional(z.string()),
      deletion_time: z.optional(z.string()),
      destroyed: z.optional(z.boolean()),
    })),
  }),
});

const dataAnswer = z.object({ data: z.object({ data: z.nullable(z.record(z.string(), z.unknown())) }) });
const writeAnswer = z.object({ data: z.object({ version: z.number() }) });

function time(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export class VaultKvStore implements VersionedSecretStore {
  readonly name: string;

  constructor(
    private readonly http: HttpClient,
    private readonly options: VaultKvStoreOptions,
  ) {
    this.name = options.name;
  }

  describePath(path: string): string {
    return `${this.options.mount}/data/${path}`;
  }

  async versions(path: string): Promise<SecretVersions | undefined> {
    const response = await this.request("GET", `${this.options.mount}/metadata/${path}`, undefined, `reading the versions of ${this.describePath(path)}`);
    if (response.status === 404) return undefined;
    const parsed = metadataAnswer.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.failure(`reading the versions of ${path}`, response);
    const versions = new Map(Object.entries(parsed.data.data.versions).map(([number, version]) => [Number(number), {
      createdAt: time(version.created_time),
      gone: version.destroyed === true || (version.deletion_time ?? "") !== "",
    }]));
    return { currentVersion: parsed.data.data.current_version, versions };
  }

  async readVersion(path: string, version: number): Promise<Readonly<Record<string, unknown>> | undefined> {
    const response = await this.request("GET", `${this.options.mount}/data/${path}?version=${version}`, undefined, `reading version ${version} of ${this.describePath(path)}`);
    if (response.status === 404) return undefined;
    const parsed = dataAnswer.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.failure(`reading version ${version} of ${path}`, response);
    return parsed.data.data.data ?? undefined;
  }

  async writeVersion(path: string, data: Readonly<Record<string, unknown>>, expectedVersion: number): Promise<WriteResult> {
    const response = await this.request("POST", `${this.options.mount}/data/${path}`, { options: { cas: expectedVersion }, data }, `writing a new version of ${this.describePath(path)}`);
    if (response.status === 400 && vaultErrors(response).includes("check-and-set parameter did not match")) return { conflict: true };
    const parsed = writeAnswer.safeParse(response.json);
    if (response.status !== 200 || !parsed.success) throw this.failure(`writing a new version of ${path}`, response);
    return { written: parsed.data.data.version };
  }

  private request(method: "GET" | "POST", path: string, body: unknown, purpose: string): Promise<HttpResponse> {
    return this.http.request({ method, url: vaultApiUrl(this.options.url, path), headers: vaultHeaders(this.options.namespace, this.options.token), body, purpose });
  }

  /** Vault's answer in one line; response bodies of data/ are never quoted, only its errors. */
  private failure(what: string, response: HttpResponse): KeybridgeError {
    const advice = response.status === 403
      ? "the token's policies must grant read and update on the data/ path and read on the metadata/ path of the secret"
      : `check that ${this.options.mount} is a KV version 2 mount`;
    return new KeybridgeError("KB_ROTATE_FAILED", `${this.name}: ${what}: HTTP ${response.status}: ${vaultErrors(response)}; ${advice}`);
  }
}
