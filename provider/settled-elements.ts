// The base of our resources and data sources (Vault's, Infisical's). As declared, they build their
// settled fragment here instead of through the framework's toTerraform(), which merges
// meta-arguments, provisioners and overrides into the attributes before the fast path walks the
// result for tokens again (a quarter of synth at 1,000 projects, profiled). Attributes do not
// change once an element is declared, so they are checked for tokens and key-sorted once; the body
// holds what the framework's holds: the attributes without their undefined members, and "//" with
// the construct's metadata. An element with anything more (a meta-argument, a provisioner, an
// escape-hatch override, a move, an import), or a token in its attributes, goes through the
// framework's toTerraform() as before (provider/settled.ts).
import { Construct, TerraformDataSource, TerraformResource, type TerraformProvider, type TerraformStack } from "./cdk.ts";
import { fastSynthEnabled, holdsToken, isNumberToken, notPlain, settled, settledFragment, stackOverridesBlocks, type FragmentSource, type Plain } from "./settled.ts";

/** Keys JavaScript orders before all others (array indexes): the stack writer sorts what holds one. */
const integerLike = /^(?:0|[1-9]\d*)$/;

/** A key-sorted plain copy, and whether the stack writer may write it as it is (no empty object or list, no integer-like key). */
interface Canonical {
  readonly value: Record<string, unknown>;
  readonly asIs: boolean;
}

class CanonicalCopy {
  asIs = true;

  value(value: unknown): Plain<unknown> {
    switch (typeof value) {
      case "string":
        return holdsToken(value) ? notPlain : value;
      case "number":
        return isNumberToken(value) ? notPlain : value;
      case "boolean":
        return value;
      case "object":
        if (value === null) return null;
        return Array.isArray(value) ? this.list(value) : this.record(value);
      default:
        return notPlain;
    }
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
    for (const key of Object.keys(record).sort()) {
      if (holdsToken(key)) return notPlain;
      if (integerLike.test(key)) this.asIs = false;
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

function canonical(value: object): Plain<Canonical> {
  const copy = new CanonicalCopy();
  const plain = copy.record(value);
  return plain === notPlain ? notPlain : { value: plain, asIs: copy.asIs };
}

/** An element's attributes, checked for tokens and key-sorted the first time they are asked for. */
class DeclaredAttributes {
  readonly #attributes: object;
  #canonical: Plain<Canonical> | undefined;

  constructor(attributes: object) {
    this.#attributes = attributes;
  }

  get canonical(): Plain<Canonical> {
    this.#canonical ??= canonical(this.#attributes);
    return this.#canonical;
  }
}

/** Whether nothing was added to an element since it was declared: no override, no meta-argument. */
function unchanged(overrides: object, meta: Record<string, unknown>): boolean {
  for (const key in overrides) if (Object.hasOwn(overrides, key)) return false;
  for (const key in meta) if (meta[key] !== undefined) return false;
  return true;
}

/** An element's body, and whether the stack writer may write it as it is (see stableJson()). */
interface Body {
  readonly body: Record<string, unknown>;
  readonly asIs: boolean;
}

/** An element's body: the attributes and "//" with the construct's metadata, key-sorted (so "//" first). */
function declaredBody(attributes: Canonical, nodeMetadata: object): Body {
  const metadata = canonical(nodeMetadata);
  const keys = Object.keys(attributes.value);
  if (metadata === notPlain || (keys.length > 0 && keys[0]! < "//")) {
    // Not reached by our attributes and construct paths; kept in the framework's order.
    return { body: { ...attributes.value, "//": metadata === notPlain ? nodeMetadata : metadata.value }, asIs: false };
  }
  const body: Record<string, unknown> = { "//": metadata.value };
  for (const key of keys) body[key] = attributes.value[key];
  return { body, asIs: attributes.asIs && metadata.asIs };
}

/** A body put aside while the stack's document is built for the stack writer, to be put in its place after. */
interface AsideBody extends Body {
  readonly block: "resource" | "data";
  readonly type: string;
  readonly name: string;
}

/** The stack whose document is being built for the stack writer, and the bodies put aside. */
let aside: { readonly stack: TerraformStack; readonly bodies: AsideBody[] } | undefined;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The bodies by block and type, each list sorted by name, and the types and blocks sorted too. */
function sortedGroups(bodies: readonly AsideBody[]): Map<string, Map<string, AsideBody[]>> {
  const groups = new Map<string, Map<string, AsideBody[]>>();
  for (const body of bodies) {
    const types = groups.get(body.block) ?? groups.set(body.block, new Map()).get(body.block)!;
    (types.get(body.type) ?? types.set(body.type, []).get(body.type)!).push(body);
  }
  const sorted = new Map<string, Map<string, AsideBody[]>>();
  for (const block of [...groups.keys()].sort(byCodeUnit)) {
    const types = groups.get(block)!;
    sorted.set(block, new Map([...types.keys()].sort(byCodeUnit).map((type) => [type, types.get(type)!.sort((a, b) => byCodeUnit(a.name, b.name))])));
  }
  return sorted;
}

/** Keys JavaScript orders before all others (array indexes). */
const arrayIndex = /^(?:0|[1-9]\d*)$/;

/**
 * Puts each body in its place, unless a place is taken (a stack override wrote there): then
 * undefined. Else the values the stack writer may take as they are: the bodies so, and each block
 * or type this made, when it holds nothing else (its keys were inserted in sorted order).
 */
function putInPlace(document: Record<string, unknown>, bodies: readonly AsideBody[]): Set<object> | undefined {
  const asIs = new Set<object>();
  for (const [block, types] of sortedGroups(bodies)) {
    const madeBlock = !Object.hasOwn(document, block);
    const blocks = (document[block] ??= {}) as Record<string, Record<string, unknown> | undefined>;
    let blockAsIs = madeBlock;
    for (const [type, named] of types) {
      const madeType = !Object.hasOwn(blocks, type);
      const target = (blocks[type] ??= {});
      let typeAsIs = madeType && !arrayIndex.test(type);
      for (const { name, body, asIs: bodyAsIs } of named) {
        if (Object.hasOwn(target, name)) return undefined;
        target[name] = body;
        if (bodyAsIs) asIs.add(body);
        typeAsIs &&= bodyAsIs && !arrayIndex.test(name);
      }
      if (typeAsIs) asIs.add(target);
      blockAsIs &&= typeAsIs;
    }
    if (blockAsIs) asIs.add(blocks);
  }
  return asIs;
}

/** A stack's document for the stack writer, and the bodies in it it may write as they are. */
export interface StackDocument {
  readonly document: unknown;
  readonly asIs: ReadonlySet<object>;
}

/**
 * The stack's document, built by `build` (the framework's toTerraform()) with the bodies of our
 * elements as declared put aside, and put in place after: the framework neither merges nor walks
 * them. When the stack's own overrides write into resources, data sources or outputs, the document
 * is built the framework's way; when a body's place is taken anyway, it is built again so.
 */
export function buildWithBodiesAside(stack: TerraformStack, build: () => unknown): StackDocument {
  if (aside || stackOverridesBlocks(stack)) return { document: build(), asIs: new Set() };
  const current = { stack, bodies: [] as AsideBody[] };
  aside = current;
  let document: unknown;
  try {
    document = build();
  } finally {
    aside = undefined;
  }
  const asIs = putInPlace(document as Record<string, unknown>, current.bodies);
  return asIs ? { document, asIs } : { document: build(), asIs: new Set() };
}

/** The stack app.synth() is preparing: resolving every element once, only to find tokens. */
let preparing: TerraformStack | undefined;

/**
 * Runs the stack's preparing pass (`prepare`, the framework's prepareStack()) with our elements as
 * declared contributing nothing to it: their attributes hold no token, which is all it looks for.
 */
export function prepareWithoutDeclared(stack: TerraformStack, prepare: () => void): void {
  if (preparing || !fastSynthEnabled()) {
    prepare();
    return;
  }
  preparing = stack;
  try {
    prepare();
  } finally {
    preparing = undefined;
  }
}

/** Common to our resources and data sources: the attributes, checked once, and the body built from them. */
interface DeclaredElement {
  readonly block: "resource" | "data";
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  readonly cdktfStack: TerraformStack;
  /** The framework's "//" metadata of the construct (protected there). */
  nodeMetadata(): object;
}

/**
 * What toTerraform() returns for an element of ours: nothing while its stack is prepared, or, with
 * its body put aside, while its stack's document is built for the stack writer; else its lazy
 * fragment (provider/settled.ts).
 */
function fragmentOf(element: DeclaredElement & FragmentSource, attributes: Plain<Canonical> | undefined): object {
  const settles = attributes !== undefined && attributes !== notPlain;
  if (settles && preparing && preparing === element.cdktfStack) return {};
  if (settles && aside && aside.stack === element.cdktfStack) {
    aside.bodies.push({ block: element.block, type: element.terraformResourceType, name: element.friendlyUniqueId, ...declaredBody(attributes, element.nodeMetadata()) });
    return {};
  }
  return settledFragment(element);
}

/** The settled fragment of an element as declared. */
function settledDeclaredFragment(element: DeclaredElement, attributes: Plain<Canonical> | undefined): Record<string, unknown> | undefined {
  if (attributes === undefined || attributes === notPlain) return undefined;
  return { [element.block]: { [element.terraformResourceType]: { [element.friendlyUniqueId]: settled(declaredBody(attributes, element.nodeMetadata()).body) } } };
}

/** A resource of a provider without prebuilt bindings, with the attributes given (the provider's snake_case names). */
export class SettledResource<Attributes extends object> extends TerraformResource implements FragmentSource, DeclaredElement {
  readonly block = "resource";
  protected readonly attributes: Attributes;
  readonly #declared: DeclaredAttributes;
  #imported = false;

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof TerraformResource>[2], attributes: Attributes) {
    super(scope, id, config);
    this.attributes = attributes;
    this.#declared = new DeclaredAttributes(attributes);
  }

  override importFrom(id: string, provider?: TerraformProvider): void {
    this.#imported = true;
    super.importFrom(id, provider);
  }

  override toTerraform(): object {
    return fragmentOf(this, this.#declaredAttributes());
  }

  frameworkFragment(): object {
    return super.toTerraform();
  }

  fragmentInputs(): unknown {
    return { attributes: this.attributes, meta: this.terraformMetaArguments, provisioners: this.provisioners, overrides: this.rawOverrides };
  }

  settlesAsDeclared(): boolean {
    const attributes = this.#declaredAttributes();
    return attributes !== undefined && attributes !== notPlain;
  }

  declaredFragment(): Record<string, unknown> | undefined {
    return settledDeclaredFragment(this, this.#declaredAttributes());
  }

  nodeMetadata(): object {
    return this.constructNodeMetadata;
  }

  /** The canonical attributes when nothing was added since declaration (meta-argument, provisioner, override, move, import). */
  #declaredAttributes(): Plain<Canonical> | undefined {
    const asDeclared = !this.#imported && !this.hasResourceMove() && this.provisioners === undefined && unchanged(this.rawOverrides as object, this.terraformMetaArguments);
    return asDeclared ? this.#declared.canonical : undefined;
  }
}

/** A data source of a provider without prebuilt bindings, with the attributes given. */
export class SettledDataSource<Attributes extends object> extends TerraformDataSource implements FragmentSource, DeclaredElement {
  readonly block = "data";
  protected readonly attributes: Attributes;
  readonly #declared: DeclaredAttributes;

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof TerraformDataSource>[2], attributes: Attributes) {
    super(scope, id, config);
    this.attributes = attributes;
    this.#declared = new DeclaredAttributes(attributes);
  }

  override toTerraform(): object {
    return fragmentOf(this, this.#declaredAttributes());
  }

  frameworkFragment(): object {
    return super.toTerraform();
  }

  fragmentInputs(): unknown {
    return { attributes: this.attributes, meta: this.terraformMetaArguments, overrides: this.rawOverrides };
  }

  settlesAsDeclared(): boolean {
    const attributes = this.#declaredAttributes();
    return attributes !== undefined && attributes !== notPlain;
  }

  declaredFragment(): Record<string, unknown> | undefined {
    return settledDeclaredFragment(this, this.#declaredAttributes());
  }

  nodeMetadata(): object {
    return this.constructNodeMetadata;
  }

  #declaredAttributes(): Plain<Canonical> | undefined {
    return unchanged(this.rawOverrides as object, this.terraformMetaArguments) ? this.#declared.canonical : undefined;
  }
}
