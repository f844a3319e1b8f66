// Attributes of our elements in the form the stack writer wants: keys sorted at every level and
// undefined members dropped (as the framework's resolver drops them), checked for tokens on the way;
// the attributes themselves when written so, else a copy. An element's attributes do not change
// once it is declared, so this is done once (provider/settled-elements.ts keeps the result).
import { holdsToken, notPlain, plainScalar, type Plain } from "./settled.ts";
import { compareText } from "../policy/text-order.ts";

/** Keys JavaScript orders before all others (array indexes), whatever the order they were set in. */
export const arrayIndexKey = /^(?:0|[1-9]\d*)$/;

/** A key-sorted plain copy, and whether the stack writer may write it as it is (no empty object or list, no integer-like key). */
export interface Canonical {
  readonly value: Record<string, unknown>;
  readonly asIs: boolean;
}

class CanonicalCopy {
  asIs = true;

  /** `shareInOrder`: a member already in order is taken as it is, though its container is copied. */
  constructor(private readonly shareInOrder: boolean) {}

  value(value: unknown): Plain<unknown> {
    if (typeof value !== "object") return plainScalar(value);
    if (value === null) return null;
    if (this.shareInOrder && alreadyCanonical(value)) return value;
    return Array.isArray(value) ? this.list(value) : this.record(value);
  }

  /** The framework's resolver drops undefined items from lists. */
  list(values: readonly unknown[]): Plain<unknown[]> {
    const copy: unknown[] = [];
    for (const item of values) {
      if (item === undefined) continue;
      const plain = this.value(item);
      if (plain === notPlain) return notPlain;
      copy.push(plain);
    }
    if (copy.length === 0) this.asIs = false;
    return copy;
  }

  record(value: object): Plain<Record<string, unknown>> {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return notPlain;
    const record = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    let members = 0;
    for (const key of Object.keys(record).sort(compareText)) {
      if (holdsToken(key)) return notPlain;
      if (arrayIndexKey.test(key)) this.asIs = false;
      const member = record[key];
      if (member === undefined) continue;
      const plain = this.value(member);
      if (plain === notPlain) return notPlain;
      copy[key] = plain;
      members++;
    }
    if (members === 0) this.asIs = false;
    return copy;
  }
}

/**
 * Whether the value is its own canonical copy, one the stack writer may take as it is: plain, keys
 * sorted, no undefined member, no token, no empty object or list, no integer-like key. Attributes
 * written in order (ours are) are then neither copied nor sorted.
 */
function alreadyCanonical(value: unknown): boolean {
  if (typeof value !== "object") return plainScalar(value) !== notPlain;
  if (value === null) return true;
  if (Array.isArray(value)) {
    // By index: a hole is an undefined item, which the copy drops.
    for (let index = 0; index < value.length; index++) if (!alreadyCanonical(value[index])) return false;
    return value.length > 0;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  // for-in, not Object.keys: no list of keys is made for each of the thousands of bodies synth
  // checks. The prototype is a plain object's (checked above), which lends no enumerable key.
  let previous: string | undefined;
  for (const key in record) {
    if ((previous !== undefined && !(previous < key)) || holdsToken(key) || arrayIndexKey.test(key) || !alreadyCanonical(record[key])) return false;
    previous = key;
  }
  return previous !== undefined;
}

/** The canonical form of the value: what is in order is shared with it, not copied (for a writer that only reads it). */
export function canonical(value: object): Plain<Canonical> {
  if (alreadyCanonical(value)) return { value: value as Record<string, unknown>, asIs: true };
  return copied(value, true);
}

/** A canonical copy sharing nothing with the value (for a caller that hands it out). */
export function canonicalCopy(value: object): Plain<Canonical> {
  return copied(value, false);
}

function copied(value: object, shareInOrder: boolean): Plain<Canonical> {
  const copy = new CanonicalCopy(shareInOrder);
  const plain = copy.record(value);
  return plain === notPlain ? notPlain : { value: plain, asIs: copy.asIs };
}
