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
  /** The API path under /v1/ (Vault) without a leading slash. */
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

function parsePath(path: string, line: number, text: string): string {
  const trimmed = path.replace(/^\/+/, "");
  const segments = trimmed.split("/");
  if (trimmed === "" || segments.some((segment) => segment === "" || segment === "." || segment === "..") || /[?#%]/.test(trimmed)) {
    throw invalid(line, text, `"${path}" is not a secret path`, "write it as Vault's API path under /v1/, for example secret/data/app/db");
  }
  return trimmed;
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
  const [path, selector] = parts as [string, string];
  return { text, line, path: parsePath(path, line, text), selector: parseSelector(selector, line, text), ...(name ? { name } : {}) };
}

export function parseSecretsSpec(input: string): SecretRequest[] {
  const requests = input.split("\n").flatMap((lineText, index) =>
    lineText
      .split(";")
      .map((piece) => piece.trim())
      .filter((piece) => piece !== "" && !piece.startsWith("#"))
      .map((piece) => parseRequest(piece, index + 1)),
  );
  if (requests.length === 0) {
    throw new KeybridgeError("KB_INPUT_INVALID",
      "Input secrets is empty: list what to read, one request per line, for example `secret/data/app/db password | DB_PASSWORD`");
  }
  return requests;
}
