// Turns what was read at each path into the named values to export, following the requests.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { envName, outputName } from "./env-names.ts";
import { checkExportNames, type NameOptions } from "./check-export-names.ts";
import type { SecretRequest } from "./secrets-spec.ts";
import type { SecretRead } from "./backends/backend.ts";
import { visible } from "../policy/render/sanitize.ts";

export interface SelectedSecret {
  /** The environment variable (and dotenv/JSON file key). */
  readonly envName: string;
  /** The step output. */
  readonly outputName: string;
  readonly value: string;
  /** Where it came from, for the summary: path and key, never the value. */
  readonly path: string;
  readonly key: string;
  /**
   * Who chose the name: the workflow (a key it named, or `| NAME`), or whoever wrote the secret's
   * keys (a `*` or `**` read), which is why such names are held to the stricter rule.
   */
  readonly nameFrom: "workflow" | "secret-keys";
}

/** Strings as they are; numbers, booleans and objects as compact JSON, as vault-action does. */
function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function lookup(data: Readonly<Record<string, unknown>>, key: string, keyPath: readonly string[]): unknown {
  if (Object.hasOwn(data, key)) return data[key];
  let current: unknown = data;
  for (const segment of keyPath) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A secret's keys for a message: each on one line, at most twenty of them. */
function listKeys(keys: readonly string[]): string {
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, 20).map((key) => visible(key, 80)).join(", ");
  return keys.length > 20 ? `${shown} and ${keys.length - 20} more` : shown;
}

function hidden(request: SecretRequest, keys: readonly string[]): KeybridgeError {
  return new KeybridgeError("KB_SECRET_HIDDEN",
    `${request.path}: ${keys.map((key) => `"${visible(key, 80)}"`).join(", ")} can be listed but not read (its value is hidden from this identity; secrets line ${request.line}); give the identity read access to the value, or leave the key out`);
}

function selectOne(request: SecretRequest, read: SecretRead): SelectedSecret[] {
  const { selector } = request;
  const hiddenKeys = read.hiddenKeys ?? new Set<string>();
  if (selector.kind === "all") {
    // A hidden value must never be exported, and exporting the rest would not be all-or-nothing.
    if (hiddenKeys.size > 0) throw hidden(request, [...hiddenKeys]);
    // As vault-action 3.4: the prefix is part of the name, so * upper-cases it too; ** keeps case.
    const prefix = request.name ?? "";
    return Object.entries(read.data).map(([key, value]) => ({
      envName: selector.keepCase ? outputName(prefix + key) : envName(prefix + key),
      outputName: outputName(prefix + key),
      value: asText(value),
      path: request.path,
      key,
      nameFrom: "secret-keys" as const,
    }));
  }
  if (hiddenKeys.has(selector.key) || hiddenKeys.has(selector.keyPath[0]!)) throw hidden(request, [selector.key]);
  const value = lookup(read.data, selector.key, selector.keyPath);
  if (value === undefined) {
    const keys = Object.keys(read.data);
    throw new KeybridgeError("KB_READ_FAILED",
      `${request.path}: has no key "${visible(selector.key, 80)}" (secrets line ${request.line}); its keys are ${listKeys(keys)}`);
  }
  return [{
    envName: request.name ?? envName(selector.key),
    outputName: request.name ?? outputName(selector.key),
    value: asText(value),
    path: request.path,
    key: selector.key,
    nameFrom: "workflow",
  }];
}

/** What to do when two requests export one name. */
export interface DuplicateNames {
  /** vault-action's way: the later request's value replaces the earlier one, with a warning. */
  readonly replace: boolean;
  readonly warn?: (line: string) => void;
}

/**
 * Every exported value, in request order. Fails when a name comes out empty, and, unless told to
 * replace as vault-action does, when two requests would export the same name, since the second
 * would silently replace the first; then holds every name to the names policy
 * (check-export-names.ts), so that nothing is exported under a refused name.
 */
export function selectSecrets(requests: readonly SecretRequest[], reads: ReadonlyMap<string, SecretRead>, names: NameOptions, duplicates: DuplicateNames = { replace: false }): SelectedSecret[] {
  const selected = new Map<string, SelectedSecret>();
  const origin = new Map<string, SecretRequest>();
  for (const request of requests) {
    const read = reads.get(request.path);
    if (!read) continue;
    for (const secret of selectOne(request, read)) {
      if (secret.envName === "" || secret.outputName === "") {
        throw new KeybridgeError("KB_NAME_INVALID",
          `Input secrets, line ${request.line}: key "${visible(secret.key, 80)}" of ${request.path} gives an empty variable name; name it with | NAME`);
      }
      const earlier = origin.get(secret.envName);
      if (earlier && !duplicates.replace) {
        throw new KeybridgeError("KB_INPUT_INVALID",
          `Input secrets, lines ${earlier.line} and ${request.line}: both export ${secret.envName}; give one of them another name with | NAME`);
      }
      if (earlier) {
        duplicates.warn?.(`Input secrets, lines ${earlier.line} and ${request.line}: both export ${secret.envName}; the later one wins, as in vault-action (give one another name with | NAME)`);
        selected.delete(secret.envName);
      }
      origin.set(secret.envName, request);
      selected.set(secret.envName, secret);
    }
  }
  const chosen = [...selected.values()];
  checkExportNames(chosen.map((secret) => ({ secret, request: origin.get(secret.envName)! })), names);
  return chosen;
}
