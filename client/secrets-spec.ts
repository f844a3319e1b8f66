// The `secrets` input: one request per line or per `;`, `<path> <selector> [| NAME]`, in
// hashicorp/vault-action's syntax so that a workflow migrates by changing only its `uses:` line.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { visible } from "../policy/render/sanitize.ts";
import { isPortableName, portableNameRule } from "./name-policy.ts";

/** What to take from the secret at a path. */
export type Selector =
  | { readonly kind: "key"; readonly key: string; readonly keyPath: readonly string[] }
  | { readonly kind: "all"; readonly keepCase: boolean };

export interface SecretRequest {
  /** The request as the user wrote it, for messages (paths and key names, never values). */
  readonly text: string;
  /** 1-based line of the input the request is on. */
  readonly line: number;
  /** The API path under /v1/ (Vault) without a leading slash, with its query if any (`?version=3`). */
  readonly path: string;
  readonly selector: Selector;
  /** `| NAME`: the exported name of a key, or the prefix of every name for `*` and `**`. */
  readonly name?: string;
}

function invalid(line: number, text: string, problem: string, fix: string): KeybridgeError {
  return new KeybridgeError("KB_INPUT_INVALID", `Input secrets, line ${line} ("${visible(text)}"): ${problem}; ${fix}`);
}

const segment = "(?:`[^`]+`|[\\p{L}\\p{N}_-]+)";
const keyPathPattern = new RegExp(`^${segment}(?:\\.${segment})*$`, "u");

/**
 * A selector is a key, or a path into nested JSON (`db.host`, segments may be back-quoted to hold a
 * dot: `` `tls.crt` ``). A key without dots may hold any character, as in vault-action.
 */
function parseSelector(selector: string, line: number, text: string): Selector {
  if (selector === "*" || selector === "**") return { kind: "all", keepCase: selector === "**" };
  if (!selector.includes(".") && !selector.includes("`")) return { kind: "key", key: selector, keyPath: [selector] };
  if (!keyPathPattern.test(selector)) {
    throw invalid(line, text, `"${selector}" is a JSONata expression, and only a key or a dotted key path is supported`,
      "select a key (password), a nested key (db.host), * or **, and name it with | NAME");
  }
  const keyPath = [...selector.matchAll(/`([^`]+)`|([\p{L}\p{N}_-]+)/gu)].map((match) => match[1] ?? match[2]!);
  return { kind: "key", key: selector, keyPath };
}

/** A query Vault reads on GET, such as KV v2's ?version=3 (vault-action passes the path as written). */
const queryPattern = /^[A-Za-z0-9_]+=[A-Za-z0-9_.-]*(?:&[A-Za-z0-9_]+=[A-Za-z0-9_.-]*)*$/;

function parsePath(path: string, line: number, text: string): string {
  // Infisical's root folder.
  if (/^\/+$/.test(path)) return "/";
  const question = path.indexOf("?");
  const query = question === -1 ? undefined : path.slice(question + 1);
  const trimmed = (question === -1 ? path : path.slice(0, question)).replace(/^\/+/, "");
  const segments = trimmed.split("/");
  if (trimmed === "" || segments.some((segment) => segment === "" || segment === "." || segment === "..") || /[?#%]/.test(trimmed)) {
    throw invalid(line, text, `"${path}" is not a secret path`, "write it as Vault's API path under /v1/, for example secret/data/app/db");
  }
  if (query !== undefined && !queryPattern.test(query)) {
    throw invalid(line, text, `"?${query}" is not a query Keybridge can send`, "pin a KV v2 version as secret/data/app?version=3");
  }
  return query === undefined ? trimmed : `${trimmed}?${query}`;
}

function parseRequest(text: string, line: number): SecretRequest {
  const bar = text.lastIndexOf("|");
  const spec = (bar === -1 ? text : text.slice(0, bar)).trim();
  const name = bar === -1 ? undefined : text.slice(bar + 1).trim();
  const parts = spec.split(/\s+/).filter((part) => part !== "");
  if (parts.length !== 2) {
    throw invalid(line, text, parts.length < 2 ? "a selector is missing after the path" : "there is more than a path and a selector",
      "write `<path> <key | * | **> [| NAME]`, for example `secret/data/app/db password | DB_PASSWORD`");
  }
  if (name !== undefined && !isPortableName(name)) {
    throw invalid(line, text, `"${visible(name)}" is not a variable name (${portableNameRule})`, "write for example | DB_PASSWORD");
  }
  const [path, quotedSelector] = parts as [string, string];
  // vault-action drops double quotes: "my-key" is the key my-key.
  const selector = quotedSelector.replace(/"/g, "");
  if (selector === "") throw invalid(line, text, "the selector is empty", "write the key to read, for example password");
  return { text, line, path: parsePath(path, line, text), selector: parseSelector(selector, line, text), ...(name ? { name } : {}) };
}

/** Words before the last `|`: a complete request has two (path and selector). */
function wordsBeforeName(text: string): number {
  const bar = text.lastIndexOf("|");
  return (bar === -1 ? text : text.slice(0, bar)).split(/\s+/).filter((word) => word !== "").length;
}

/**
 * The requests of one `;`-separated piece with their first line. One request per line, as
 * Keybridge writes them; a request split over lines (the path on one, the selector on the next,
 * as vault-action reads a piece) is joined until it has its path and selector, and a line that
 * starts with `|` names the request before it.
 */
function requestsOfPiece(lines: readonly { text: string; line: number }[]): { text: string; line: number }[] {
  const requests: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  for (const { text, line } of lines) {
    if (text.startsWith("|") && !pending && requests.length > 0) {
      const last = requests.pop()!;
      requests.push({ text: `${last.text} ${text}`, line: last.line });
      continue;
    }
    pending = pending ? { text: `${pending.text} ${text}`, line: pending.line } : { text, line };
    if (wordsBeforeName(pending.text) >= 2 || pending.text.includes("|")) {
      requests.push(pending);
      pending = undefined;
    }
  }
  if (pending) requests.push(pending);
  return requests;
}

export function parseSecretsSpec(input: string): SecretRequest[] {
  const pieces: { text: string; line: number }[][] = [[]];
  input.split("\n").forEach((lineText, index) => {
    lineText.split(";").forEach((part, partIndex) => {
      if (partIndex > 0) pieces.push([]);
      const text = part.trim();
      if (text !== "" && !text.startsWith("#")) pieces.at(-1)!.push({ text, line: index + 1 });
    });
  });
  const requests = pieces.flatMap(requestsOfPiece).map(({ text, line }) => parseRequest(text, line));
  if (requests.length === 0) {
    throw new KeybridgeError("KB_INPUT_INVALID",
      "Input secrets is empty: list what to read, one request per line, for example `secret/data/app/db password | DB_PASSWORD`");
  }
  return requests;
}
