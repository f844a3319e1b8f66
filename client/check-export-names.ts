// Holds every name about to be exported to the names policy (name-policy.ts), before anything is
// written: all problems of one kind in one line, so a user fixes them in one go.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { controlledBy, isAllowed, isPortableName, portableNameRule, runsCode } from "./name-policy.ts";
import { visible } from "../policy/render/sanitize.ts";
import type { SecretRequest } from "./secrets-spec.ts";
import type { SelectedSecret } from "./select-secrets.ts";

export interface NameOptions {
  /** Names (upper-cased) that may come from a secret's keys although they control execution. */
  readonly allowNames: ReadonlySet<string>;
  /** How the user sets that list: "the allow-names input", "--allow-names". */
  readonly allowNamesHow: string;
  /** What a refusal means for the caller: "nothing was exported". */
  readonly consequence: string;
  /** Told about each name the workflow chose that takes over how later programs run. */
  readonly warn: (line: string) => void;
}

interface Named {
  readonly secret: SelectedSecret;
  readonly request: SecretRequest;
}

/** "line 2, secret/data/app (a * read): ..." groups, in request order. */
function byRequest(items: readonly Named[], describe: (items: readonly Named[]) => string): string {
  const groups = new Map<SecretRequest, Named[]>();
  for (const item of items) groups.set(item.request, [...(groups.get(item.request) ?? []), item]);
  return [...groups].map(([request, group]) => {
    const read = request.selector.kind === "all" ? ` (a ${request.selector.keepCase ? "**" : "*"} read)` : "";
    return `line ${request.line}, ${request.path}${read}: ${describe(group)}`;
  }).join("; ");
}

function keyAndName({ secret }: Named, name: string): string {
  return `key "${visible(secret.key, 80)}" gives ${visible(name, 80)}`;
}

function refuseUnportable(items: readonly Named[], options: NameOptions): void {
  const bad = items.filter(({ secret }) => !isPortableName(secret.envName) || !isPortableName(secret.outputName));
  if (bad.length === 0) return;
  const fix = bad.some(({ request }) => request.selector.kind === "all")
    ? "read such keys on lines of their own and name them with | NAME"
    : "name it with | NAME";
  const listed = byRequest(bad, (group) => group.map((item) => keyAndName(item, isPortableName(item.secret.envName) ? item.secret.outputName : item.secret.envName)).join(", "));
  throw new KeybridgeError("KB_NAME_INVALID",
    `Input secrets, ${listed}: not a portable variable name (${portableNameRule}), so ${options.consequence}; ${fix}`);
}

function refuseControlNames(items: readonly Named[], options: NameOptions): void {
  const bad = items.filter(({ secret }) => secret.nameFrom === "secret-keys" && controlledBy(secret.envName) !== undefined && !isAllowed(secret.envName, options.allowNames));
  if (bad.length === 0) return;
  const listed = byRequest(bad, (group) => group.map((item) => `${keyAndName(item, item.secret.envName)} (read by ${controlledBy(item.secret.envName)})`).join(", "));
  const names = [...new Set(bad.map(({ secret }) => secret.envName))].join(", ");
  throw new KeybridgeError("KB_NAME_RESERVED",
    `Input secrets, ${listed}: a name taken from a secret's keys may not change how later programs run, so ${options.consequence}; ` +
    `if the secret is meant to set ${bad.length === 1 ? "it" : "them"}, list ${names} in ${options.allowNamesHow}, or read the key on a line of its own with | NAME`);
}

function warnAboutTakeovers(items: readonly Named[], options: NameOptions): void {
  for (const { secret, request } of items) {
    if (!runsCode(secret.envName)) continue;
    const chosen = secret.nameFrom === "workflow" ? "the workflow names it" : `${options.allowNamesHow} lists it`;
    options.warn(`Input secrets, line ${request.line}: exports ${secret.envName} (read by ${controlledBy(secret.envName)}), which decides what later programs run; ` +
      `exported because ${chosen}: make sure ${request.path} is written only by people who may run code in this job`);
  }
}

/** Throws for the first kind of problem found; warns about the names the workflow chose that take over execution. */
export function checkExportNames(items: readonly Named[], options: NameOptions): void {
  refuseUnportable(items, options);
  refuseControlNames(items, options);
  warnAboutTakeovers(items, options);
}
