// What the backends' refusals say, as one line, and how their API addresses are formed: plain
// checks without schemas, so the post step's revocation can use them without loading the rest.
import type { HttpResponse } from "../http/http-client.ts";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

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

/** Infisical's `{message, error}`; a 422 carries the list of invalid fields. */
export function infisicalMessage(response: HttpResponse): string {
  const body = response.json;
  if (!isRecord(body) || (body.error !== undefined && typeof body.error !== "string")) return "(no message)";
  const { message } = body;
  if (typeof message === "string") return message;
  if (!Array.isArray(message) || !message.every(isFieldIssue)) return "(no message)";
  return message.map((issue) => `${(issue.path ?? []).join(".") || "(request)"}: ${issue.message ?? "invalid"}`).join("; ");
}

/** `<address>/v1/<path>`, each segment of the path escaped. */
/** `path` may end in a query the secrets spec allowed (`?version=3`), sent as it is. */
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
