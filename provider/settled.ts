// The fast path of synth. The framework resolves every element's toTerraform() three times (a
// preparing pass, once per element, once more as the merged document) and walks every value each
// time, looking for tokens. Our resources hold plain values almost always, so an element of ours
// hands the framework a token that builds its fragment when resolved: the preparing pass skips it
// when its inputs hold no token; the per-element pass gets the fragment "settled", unwalked. Each
// block body in it (one resource, one output) is settled too, because the merged document must keep
// the bodies apart (deepMerge does not recurse into tokens) until its own resolve turns each into
// the plain body. stack.toTerraform() and Testing.synth() see plain JSON as before, and cdk.tf.json
// comes out byte for byte the same. A fragment that holds a token anywhere (a user's value that is
// another resource's attribute, an escape-hatch override) is resolved by the framework as always.
// During app.synth() our resources and data sources go further (provider/bodies-aside.ts,
// provider/settled-elements.ts) and cdk.tf.json is written without the framework's stringifier
// (provider/stack-writer.ts). KEYBRIDGE_SYNTH=framework turns all of it off.
import type { IResolvable, IResolveContext } from "./cdk.ts";

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
export const notPlain = Symbol("not plain");
export type Plain<T> = T | typeof notPlain;

/** Whether a string holds a token (an encoded one, or a number token written into it). */
export function holdsToken(text: string): boolean {
  // includes() first: most strings hold neither, and it is cheaper than the expression. "+" alone,
  // not "e+": a search for one character skips ahead fast, and "e" is in most of our strings.
  return text.includes(tokenMarker) || (text.includes("+") && numberInString.test(text));
}

/** Whether a number is an encoded number token. */
function isNumberToken(value: number): boolean {
  return value < -numberTokenMagnitude;
}

/**
 * The value, when it is plain JSON; a copy without its undefined members (the framework's resolver
 * drops them) when it holds some; notPlain when it holds a token or anything but plain data.
 */
function plainValue(value: unknown): Plain<unknown> {
  if (typeof value !== "object") return plainScalar(value);
  if (value === null) return null;
  return Array.isArray(value) ? plainArray(value) : plainObject(value);
}

/** A string, number or boolean as it is; notPlain for a token, or anything else that is not an object. */
export function plainScalar(value: unknown): Plain<unknown> {
  switch (typeof value) {
    case "string":
      return holdsToken(value) ? notPlain : value;
    case "number":
      return isNumberToken(value) ? notPlain : value;
    case "boolean":
      return value;
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

/**
 * Whether the stack's own overrides (stack.addOverride("resource.<type>.<name>.<attribute>", ...))
 * write into a block whose bodies the fast path settles: the framework merges them into plain
 * bodies, and cannot into settled ones, so then every element of the stack goes the framework's way.
 */
export function stackOverridesBlocks(stack: unknown): boolean {
  // rawOverrides is protected in the framework's types; cdktf and cdktn keep it on the stack.
  const overrides = (stack as { rawOverrides?: object }).rawOverrides ?? {};
  return Object.keys(blockDepths).some((block) => Object.hasOwn(overrides, block));
}

/** A value the framework's resolver takes as it is (the value must be plain JSON). */
export function settled(value: unknown): IResolvable {
  return new Settled(value);
}

function settleBlocks(blocks: Record<string, unknown>, depth: number): Record<string, unknown> {
  const settled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blocks)) {
    settled[key] = depth === 0 ? new Settled(value) : settleBlocks(value as Record<string, unknown>, depth - 1);
  }
  return settled;
}

/** The fragment with each resource, data source and output body settled; notPlain when it holds a token. */
function settledBlocks(fragment: object): Plain<Record<string, unknown>> {
  const plain = plainObject(fragment);
  if (plain === notPlain) return notPlain;
  const settled: Record<string, unknown> = {};
  for (const [block, value] of Object.entries(plain)) {
    const depth = blockDepths[block];
    settled[block] = depth === undefined ? value : settleBlocks(value as Record<string, unknown>, depth - 1);
  }
  return settled;
}

/**
 * An element's fragment, built when the framework resolves it. The preparing pass looks only for
 * tokens, so it skips an element whose inputs hold none; the other passes get the fragment settled,
 * or, when it holds a token, as it is, for the framework to resolve as it always does. An element
 * as declared (provider/settled-elements.ts) builds its settled fragment itself.
 */
class LazyFragment implements IResolvable {
  readonly creationStack: string[] = [];
  readonly #source: FragmentSource;

  constructor(source: FragmentSource) {
    this.#source = source;
  }

  resolve(context: IResolveContext): unknown {
    const source = this.#source;
    if (stackOverridesBlocks(context.scope)) return source.frameworkFragment();
    if (context.preparing && (source.settlesAsDeclared?.() === true || plainValue(source.fragmentInputs()) !== notPlain)) return null;
    const settled = source.declaredFragment?.() ?? settledBlocks(source.frameworkFragment());
    if (settled === notPlain) return source.frameworkFragment();
    context.registerPostProcessor({ postProcess: () => settled });
    return null;
  }

  /** Serialized unresolved (by a caller that resolves a fragment once), it still writes the fragment. */
  toJSON(): unknown {
    return this.#source.frameworkFragment();
  }

  toString(): string {
    return "[keybridge lazy fragment]";
  }
}

/** What an element of ours gives the fast path (methods, not closures: one element, no allocation). */
export interface FragmentSource {
  /** The framework's fragment (the superclass's toTerraform()). */
  frameworkFragment(): object;
  /**
   * Everything the fragment is made of (attributes, meta-arguments, provisioners, overrides),
   * which the preparing pass checks for tokens instead of building the fragment.
   */
  fragmentInputs(): unknown;
  /** Whether declaredFragment() builds the fragment (then it holds no token): what the preparing pass asks. */
  settlesAsDeclared?(): boolean;
  /** The settled fragment, built without the framework, when the element allows it; else undefined. */
  declaredFragment?(): Record<string, unknown> | undefined;
}

/** What an element of ours returns from toTerraform(). */
export function settledFragment(source: FragmentSource): object {
  return fastSynthEnabled() ? new LazyFragment(source) : source.frameworkFragment();
}
