// The fast path of synth. The framework resolves every element's toTerraform() three times (a
// preparing pass, once per element, once more as the merged document) and walks every value each
// time, looking for tokens. Our resources hold plain values almost always, so when an element's
// fragment holds no token it reaches the framework as a "settled" token: resolving one returns its
// value as it is, unwalked. The element's fragment is one, so the first two passes cost a call per
// element; inside it each block body (one resource, one output) is one too, because the merged
// document must keep the bodies apart (deepMerge does not recurse into tokens) until its own
// resolve turns each into the plain body. stack.toTerraform() and Testing.synth() see plain JSON as
// before, and cdk.tf.json comes out byte for byte the same. A fragment that holds a token anywhere
// (a user's value that is another resource's attribute, an escape-hatch override) takes the
// framework's path unchanged. KEYBRIDGE_SYNTH=framework turns the fast path off.
import { TerraformOutput, type IResolvable, type IResolveContext } from "./cdk.ts";

/** The markers the framework's token encodings (string, list, map) share, in cdktf and cdktn. */
const tokenMarker = "TfToken[";
/** A number token written into a string ("-1.8881545897087626e+289"; JavaScript writes every large exponent so). */
const numberInString = /\de\+\d/;
/** Number tokens are encoded as doubles of this magnitude. */
const numberTokenMagnitude = 1e280;
/** The blocks whose bodies we settle, and how deep the body sits: resource.<type>.<name>, output.<name>. */
const blockDepths: Readonly<Record<string, number>> = { resource: 2, data: 2, output: 1 };

export function fastSynthEnabled(): boolean {
  return process.env.KEYBRIDGE_SYNTH !== "framework";
}

/** What plainValue() answers for a value that holds a token, or anything but plain data. */
const notPlain = Symbol("not plain");
type Plain<T> = T | typeof notPlain;

/**
 * The value, when it is plain JSON; a copy without its undefined members (the framework's resolver
 * drops them) when it holds some; notPlain when it holds a token or anything but plain data.
 */
function plainValue(value: unknown): Plain<unknown> {
  switch (typeof value) {
    case "string":
      return value.includes(tokenMarker) || numberInString.test(value) ? notPlain : value;
    case "number":
      return value < -numberTokenMagnitude ? notPlain : value;
    case "boolean":
      return value;
    case "object":
      if (value === null) return null;
      return Array.isArray(value) ? plainArray(value) : plainObject(value);
    default:
      return notPlain;
  }
}

function plainArray(values: readonly unknown[]): Plain<readonly unknown[]> {
  let copy: unknown[] | undefined;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const plain = value === undefined ? undefined : plainValue(value);
    if (plain === notPlain) return notPlain;
    copy ??= plain === value && value !== undefined ? undefined : values.slice(0, index);
    if (copy && plain !== undefined) copy.push(plain);
  }
  return copy ?? values;
}

function plainObject(value: object): Plain<Record<string, unknown>> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return notPlain;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key.includes(tokenMarker)) return notPlain;
    const member = record[key];
    const plain = member === undefined ? undefined : plainValue(member);
    if (plain === notPlain) return notPlain;
    copy ??= plain === member && member !== undefined ? undefined : Object.fromEntries(keys.slice(0, index).map((earlier) => [earlier, record[earlier]]));
    if (copy && plain !== undefined) copy[key] = plain;
  }
  return copy ?? record;
}

/** A value the framework's resolver returns as it is, without walking it. */
class Settled implements IResolvable {
  readonly creationStack: string[] = [];
  readonly #value: unknown;

  constructor(value: unknown) {
    this.#value = value;
  }

  resolve(context: IResolveContext): unknown {
    // What resolve() returns is walked; what the post-processor returns is taken as it is.
    context.registerPostProcessor({ postProcess: () => this.#value });
    return null;
  }

  /** Serialized unresolved (by a caller that resolves a fragment once), it still writes its value. */
  toJSON(): unknown {
    return this.#value;
  }

  toString(): string {
    return "[keybridge settled value]";
  }
}

function settleBlocks(blocks: Record<string, unknown>, depth: number): Record<string, unknown> {
  const settled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blocks)) {
    settled[key] = depth === 0 ? new Settled(value) : settleBlocks(value as Record<string, unknown>, depth - 1);
  }
  return settled;
}

/**
 * The element's toTerraform() fragment settled, each resource, data source and output body in it
 * settled too, when the whole fragment is plain data; otherwise the fragment as it is.
 */
export function settleFragment(fragment: object): object {
  if (!fastSynthEnabled()) return fragment;
  const plain = plainObject(fragment);
  if (plain === notPlain) return fragment;
  const settled: Record<string, unknown> = {};
  for (const [block, value] of Object.entries(plain)) {
    const depth = blockDepths[block];
    settled[block] = depth === undefined ? value : settleBlocks(value as Record<string, unknown>, depth - 1);
  }
  return new Settled(settled);
}

/** A TerraformOutput whose value, when plain, skips the framework's resolver. */
export class SettledOutput extends TerraformOutput {
  override toTerraform(): object {
    return settleFragment(super.toTerraform());
  }
}
