// Turns what was read at each path into the named values to export, following the requests.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { envName, outputName } from "./env-names.ts";
import type { SecretRequest } from "./secrets-spec.ts";
import type { SecretRead } from "./backends/backend.ts";

export interface SelectedSecret {
  /** The environment variable (and dotenv/JSON file key). */
  readonly envName: string;
  /** The step output. */
  readonly outputName: string;
  readonly value: string;
  /** Where it came from, for the summary: path and key, never the value. */
  readonly path: string;
  readonly key: string;
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

function hidden(request: SecretRequest, keys: readonly string[]): KeybridgeError {
  return new KeybridgeError("KB_SECRET_HIDDEN",
    `${request.path}: ${keys.map((key) => `"${key}"`).join(", ")} can be listed but not read (its value is hidden from this identity; secrets line ${request.line}); give the identity read access to the value, or leave the key out`);
}

function selectOne(request: SecretRequest, read: SecretRead): SelectedSecret[] {
  const { selector } = request;
  const hiddenKeys = read.hiddenKeys ?? new Set<string>();
  if (selector.kind === "all") {
    // A hidden value must never be exported, and exporting the rest would not be all-or-nothing.
    if (hiddenKeys.size > 0) throw hidden(request, [...hiddenKeys]);
    const prefix = request.name ?? "";
    return Object.entries(read.data).map(([key, value]) => ({
      envName: prefix + (selector.keepCase ? outputName(key) : envName(key)),
      outputName: prefix + outputName(key),
      value: asText(value),
      path: request.path,
      key,
    }));
  }
  if (hiddenKeys.has(selector.key) || hiddenKeys.has(selector.keyPath[0]!)) throw hidden(request, [selector.key]);
  const value = lookup(read.data, selector.key, selector.keyPath);
  if (value === undefined) {
    const keys = Object.keys(read.data);
    throw new KeybridgeError("KB_READ_FAILED",
      `${request.path}: has no key "${selector.key}" (secrets line ${request.line}); its keys are ${keys.length > 0 ? keys.join(", ") : "none"}`);
  }
  return [{
    envName: request.name ?? envName(selector.key),
    outputName: request.name ?? outputName(selector.key),
    value: asText(value),
    path: request.path,
    key: selector.key,
  }];
}

/**
 * Every exported value, in request order. Fails when a name comes out empty or two requests would
 * export the same name, since the second would silently replace the first.
 */
export function selectSecrets(requests: readonly SecretRequest[], reads: ReadonlyMap<string, SecretRead>): SelectedSecret[] {
  const selected: SelectedSecret[] = [];
  const origin = new Map<string, SecretRequest>();
  for (const request of requests) {
    const read = reads.get(request.path);
    if (!read) continue;
    for (const secret of selectOne(request, read)) {
      if (secret.envName === "" || secret.outputName === "") {
        throw new KeybridgeError("KB_INPUT_INVALID",
          `Input secrets, line ${request.line}: key "${secret.key}" of ${request.path} gives an empty variable name; name it with | NAME`);
      }
      const earlier = origin.get(secret.envName);
      if (earlier) {
        throw new KeybridgeError("KB_INPUT_INVALID",
          `Input secrets, lines ${earlier.line} and ${request.line}: both export ${secret.envName}; give one of them another name with | NAME`);
      }
      origin.set(secret.envName, request);
      selected.push(secret);
    }
  }
  return selected;
}
