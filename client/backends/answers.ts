// What the backends' refusals and reads say (refusals as one line), and how their API addresses are
// formed: plain checks without schemas, so the post step's revocation can use them without loading
// the rest.
import type { HttpResponse } from "../http/http-client.ts";

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Vault's `{"errors": [...]}` as one line; multierror text ("1 error occurred: * x") flattened. */
export function vaultErrors(response: HttpResponse): string {
  const errors = isRecord(response.json) ? response.json.errors : undefined;
  const list = Array.isArray(errors) && errors.every((message) => typeof message === "string") ? (errors as string[]) : [];
  const text = list
    .map((message) => message.replace(/^\d+ errors? occurred:\s*/, "").replace(/\s*\*\s*/g, " ").replace(/\s+/g, " ").trim())
    .filter((message) => message !== "")
    .join("; ");
  return text === "" ? "(no message)" : text;
}

interface FieldIssue {
  readonly path?: unknown[];
  readonly message?: string;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return isRecord(value) && (value.path === undefined || Array.isArray(value.path)) && (value.message === undefined || typeof value.message === "string");
}

/** The answer to a read: the engine's `data`, and the lease fields when the engine leases. */
export interface VaultReadAnswer {
  readonly data: Record<string, unknown> | null;
  readonly lease_id?: string;
  readonly lease_duration?: number;
  readonly renewable?: boolean;
}

const absentOr = (value: unknown, type: "string" | "number" | "boolean") => value === undefined || typeof value === type;

// Reads are checked by hand rather than by a schema: every secret a job reads goes through them,
// where zod's parse costs about a tenth of a millisecond a call before it is optimized.
// test/client/backends/read-answers-properties.test.ts holds them to the schemas they replaced.

/** The answer to a read, or undefined when the JSON is not one. */
export function vaultReadAnswer(json: unknown): VaultReadAnswer | undefined {
  if (!isRecord(json)) return undefined;
  const { data, lease_id, lease_duration, renewable } = json;
  if (data !== null && !isRecord(data)) return undefined;
  if (!absentOr(lease_id, "string") || !absentOr(lease_duration, "number") || !absentOr(renewable, "boolean")) return undefined;
  return { data, lease_id, lease_duration, renewable } as VaultReadAnswer;
}

/** What KV v2 says of a version beside its pairs. */
export interface KvV2Metadata {
  readonly created_time?: string;
  readonly custom_metadata?: Record<string, unknown> | null;
}

/** KV v2's `metadata`, or undefined when the value is not one. */
export function kvV2Metadata(value: unknown): KvV2Metadata | undefined {
  if (!isRecord(value)) return undefined;
  const { created_time, custom_metadata } = value;
  if (!absentOr(created_time, "string")) return undefined;
  if (custom_metadata !== undefined && custom_metadata !== null && !isRecord(custom_metadata)) return undefined;
  return { created_time, custom_metadata } as KvV2Metadata;
}

/** Infisical's `{message, error}`; a 422 carries the list of invalid fields. */
export function infisicalMessage(response: HttpResponse): string {
  const body = response.json;
  if (!isRecord(body) || (body.error !== undefined && typeof body.error !== "string")) return "(no message)";
  const { message } = body;
  if (typeof message === "string") return message;
  if (!Array.isArray(message) || !message.every(isFieldIssue)) return "(no message)";
  return message.map((issue) => `${(issue.path ?? []).join(".") || "(request)"}: ${issue.message ?? "invalid"}`).join("; ");
}

/**
 * `<address>/v1/<path>`, each segment of the path escaped. `path` may end in a query the secrets
 * spec allowed (`?version=3`), sent as it is.
 */
export function vaultApiUrl(address: URL, path: string): URL {
  const base = address.href.endsWith("/") ? address.href : `${address.href}/`;
  const [route = "", query] = path.split("?", 2);
  return new URL(`v1/${route.split("/").map(encodeURIComponent).join("/")}${query === undefined ? "" : `?${query}`}`, base);
}

/** `extra` are the user's extra headers (vault-action's extraHeaders), sent to the backend only. */
export function vaultHeaders(namespace: string | undefined, token?: string, extra?: Readonly<Record<string, string>>): Record<string, string> {
  return {
    "x-vault-request": "true",
    ...(token ? { "x-vault-token": token } : {}),
    ...(namespace ? { "x-vault-namespace": namespace } : {}),
    ...extra,
  };
}

/** `<address>/api/...`: the url input is Infisical's address without /api. */
export function infisicalApiUrl(address: URL, path: string): URL {
  return new URL(`${address.href.replace(/\/+$/, "")}${path}`);
}
