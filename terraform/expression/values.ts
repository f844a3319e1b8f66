// Values as the evaluator holds them: JSON-like (strings, numbers, booleans, null, lists, maps),
// plus Unknown for what only an apply can know (a computed attribute, another provider's
// resource). Lists, tuples and sets are arrays (a set is sorted and without duplicates); maps
// and objects are plain objects built without a prototype trap. Errors are EvaluationError:
// one line, never a value (values may be secrets).

export class EvaluationError extends Error {
  override readonly name = "EvaluationError";
}

/** A value known only after apply; `origin` says which attribute, for messages naming both ends. */
export class Unknown {
  constructor(
    /** "vault_mount.kv.accessor", "github_repository.app.full_name". */
    readonly origin: string,
    /** Why it is unknown: "known only after apply", "github_repository is skipped: …". */
    readonly reason: string,
  ) {}
}

export type Value = string | number | boolean | null | Unknown | readonly Value[] | { readonly [key: string]: Value };

export type ValueMap = { readonly [key: string]: Value };

export function isMap(value: Value): value is ValueMap {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

export function isList(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

/** A map from entries; "__proto__" and its kin become ordinary keys. */
export function makeMap(entries: Iterable<readonly [string, Value]>): ValueMap {
  const map: Record<string, Value> = {};
  for (const [key, value] of entries) Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  return map;
}

/** Keys in Terraform's order: lexical. */
export function sortedKeys(map: ValueMap): string[] {
  return Object.keys(map).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function hasOwn(map: ValueMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/**
 * What reading a missing attribute of this map means: resource states register one that answers
 * Unknown (another provider's resource: its unwritten attributes) or throws a precise error.
 */
const missingAttributes = new WeakMap<object, (key: string) => Value>();

export function onMissingAttribute(map: ValueMap, answer: (key: string) => Value): ValueMap {
  missingAttributes.set(map, answer);
  return map;
}

export function missingAttribute(map: ValueMap, key: string): ((key: string) => Value) | undefined {
  return missingAttributes.get(map);
}

/** The first Unknown anywhere inside the value, if any. */
export function findUnknown(value: Value): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUnknown(item);
      if (found) return found;
    }
  } else if (isMap(value)) {
    for (const key of Object.keys(value)) {
      const found = findUnknown(value[key]!);
      if (found) return found;
    }
  }
  return undefined;
}

export function typeName(value: Value): string {
  if (value === null) return "null";
  if (value instanceof Unknown) return "unknown";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "map";
  return typeof value;
}

/** Terraform's automatic conversion to string: numbers and booleans convert, nothing else does. */
export function toText(value: Value, what: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return String(value);
  if (value === null) throw new EvaluationError(`${what} is null, where a string is needed`);
  throw new EvaluationError(`${what} is a ${typeName(value)}, where a string is needed`);
}

export function numberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return String(value);
}

export function toNumber(value: Value, what: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) return Number(value.trim());
  throw new EvaluationError(`${what} must be a number, got a ${typeName(value)}`);
}

export function toBool(value: Value, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new EvaluationError(`${what} must be true or false, got a ${typeName(value)}`);
}

/** Items of a list, or the values of a map in key order (what `for` and most functions iterate). */
export function toList(value: Value, what: string): readonly Value[] {
  if (Array.isArray(value)) return value;
  throw new EvaluationError(`${what} must be a list, got a ${typeName(value)}`);
}

export function toMap(value: Value, what: string): ValueMap {
  if (isMap(value)) return value;
  throw new EvaluationError(`${what} must be a map or object, got a ${typeName(value)}`);
}

/** A set: sorted (strings lexically, as Terraform orders sets of strings) and without duplicates. */
export function toSet(items: readonly Value[]): Value[] {
  const seen = new Map<string, Value>();
  for (const item of items) seen.set(JSON.stringify(canonical(item)), item);
  return [...seen.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, item]) => item);
}

/** A value with map keys sorted, so that equal values stringify equally. */
export function canonical(value: Value): unknown {
  if (value instanceof Unknown) return { unknown: value.origin };
  if (Array.isArray(value)) return value.map(canonical);
  if (isMap(value)) return Object.fromEntries(sortedKeys(value).map((key) => [key, canonical(value[key]!)]));
  return value;
}

export function equalValues(a: Value, b: Value): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
