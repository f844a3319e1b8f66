// References inside attribute values, which may be strings, lists and objects nested in any way:
// finding them (with where they sit, for messages) and replacing them with the values of the
// resources already applied. A string that is exactly one "${…}" takes the referenced value as
// is (a list stays a list, as in Terraform); inside a longer string the value must be a primitive.
import { ApplyProblem } from "./problems.ts";
import { locationText } from "./attributes.ts";
import { parseTemplate, type Reference } from "./template.ts";

export interface FoundReference {
  readonly ref: Reference;
  /** Where in the body: "token_policies[0]". */
  readonly location: string;
}

export interface BadExpression {
  readonly source: string;
  readonly reason: string;
  readonly location: string;
}

export function findReferences(value: unknown, path: (string | number)[] = []): { refs: FoundReference[]; bad: BadExpression[] } {
  const refs: FoundReference[] = [];
  const bad: BadExpression[] = [];
  const walk = (current: unknown, at: (string | number)[]): void => {
    if (typeof current === "string") {
      for (const part of parseTemplate(current)) {
        if (part.kind === "ref") refs.push({ ref: part.ref, location: locationText(at) });
        if (part.kind === "bad") bad.push({ source: part.source, reason: part.reason, location: locationText(at) });
      }
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => walk(item, [...at, index]));
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) walk(item, [...at, key]);
    }
  };
  walk(value, path);
  return { refs, bad };
}

/** True when the value holds no "${…}" anywhere, so it can be checked before anything is applied. */
export function isLiteral(value: unknown): boolean {
  const { refs, bad } = findReferences(value);
  return refs.length === 0 && bad.length === 0;
}

/** The referenced value; undefined when the resource or the attribute has none. */
export type Lookup = (ref: Reference) => unknown;

/** "vault_mount.kv.path", "vault_identity_group.g.policies[0]". */
export function referenceText(ref: Reference): string {
  return `${ref.address}.${locationText(ref.attribute)}`;
}

export function resolveValue(value: unknown, lookup: Lookup, path: (string | number)[] = []): unknown {
  if (typeof value === "string") return resolveString(value, lookup, path);
  if (Array.isArray(value)) return value.map((item, index) => resolveValue(item, lookup, [...path, index]));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, lookup, [...path, key])]));
  }
  return value;
}

function resolveString(text: string, lookup: Lookup, path: (string | number)[]): unknown {
  const parts = parseTemplate(text);
  if (parts.every((part) => part.kind === "text")) return parts.map((part) => (part.kind === "text" ? part.text : "")).join("");
  const valueOf = (ref: Reference): unknown => {
    const found = lookup(ref);
    if (found === undefined || found === null) {
      throw new ApplyProblem(`${locationText(path)} refers to ${referenceText(ref)}, which has no value; set that attribute on ${ref.address}`);
    }
    return found;
  };
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only?.kind === "ref") return valueOf(only.ref);
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.text;
    else if (part.kind === "bad") throw new ApplyProblem(`${locationText(path)} uses ${part.source}, ${part.reason}`);
    else {
      const found = valueOf(part.ref);
      if (typeof found === "object") {
        throw new ApplyProblem(
          `${locationText(path)} embeds ${referenceText(part.ref)}, which is a list or map, in a longer string; reference one element of it`,
        );
      }
      out += String(found);
    }
  }
  return out;
}
