// The base of our resources and data sources (Vault's, Infisical's). As declared, they build their
// settled fragment here instead of through the framework's toTerraform(), which merges
// meta-arguments, provisioners and overrides into the attributes before the fast path walks the
// result for tokens again (a quarter of synth at 1,000 projects, profiled). Attributes do not
// change once an element is declared, so they are checked for tokens and key-sorted once; the body
// holds what the framework's holds: the attributes without their undefined members, and "//" with
// the construct's metadata. An element with anything more (a meta-argument, a provisioner, an
// escape-hatch override, a move, an import), or a token in its attributes, goes through the
// framework's toTerraform() as before (provider/settled.ts).
import { Construct, TerraformDataSource, TerraformResource, type TerraformProvider } from "./cdk.ts";
import { holdsToken, isNumberToken, notPlain, settled, settledFragment, type Plain } from "./settled.ts";
import { markSorted } from "./stack-writer.ts";

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
  return Object.values(meta).every((value) => value === undefined);
}

/**
 * { <block>: { <type>: { <name>: body } } } with the body settled: the attributes and "//" with
 * the construct's metadata, key-sorted (so "//" first), as the framework's fragment holds them.
 */
function declaredFragment(block: "resource" | "data", type: string, name: string, attributes: Canonical, nodeMetadata: object): Record<string, unknown> {
  const metadata = canonical(nodeMetadata);
  const body: Record<string, unknown> = {};
  let asIs = attributes.asIs;
  if (metadata === notPlain) {
    // Not reached: construct paths and ids are plain. Written as the framework would, unsorted.
    Object.assign(body, attributes.value, { "//": nodeMetadata });
    asIs = false;
  } else {
    const keys = Object.keys(attributes.value);
    if (keys.length > 0 && keys[0]! < "//") {
      Object.assign(body, attributes.value, { "//": metadata.value });
      asIs = false;
    } else {
      body["//"] = metadata.value;
      Object.assign(body, attributes.value);
      asIs &&= metadata.asIs;
    }
  }
  return { [block]: { [type]: { [name]: settled(asIs ? markSorted(body) : body) } } };
}

/** A resource of a provider without prebuilt bindings, with the attributes given (the provider's snake_case names). */
export class SettledResource<Attributes extends object> extends TerraformResource {
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
    return settledFragment({
      build: () => super.toTerraform(),
      inputs: () => ({ attributes: this.attributes, meta: this.terraformMetaArguments, provisioners: this.provisioners, overrides: this.rawOverrides }),
      asDeclared: () => !this.#imported && !this.hasResourceMove() && this.provisioners === undefined
        && unchanged(this.rawOverrides as object, this.terraformMetaArguments) && this.#declared.canonical !== notPlain,
      declaredFragment: () => declaredFragment("resource", this.terraformResourceType, this.friendlyUniqueId, this.#declared.canonical as Canonical, this.constructNodeMetadata),
    });
  }
}

/** A data source of a provider without prebuilt bindings, with the attributes given. */
export class SettledDataSource<Attributes extends object> extends TerraformDataSource {
  protected readonly attributes: Attributes;
  readonly #declared: DeclaredAttributes;

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof TerraformDataSource>[2], attributes: Attributes) {
    super(scope, id, config);
    this.attributes = attributes;
    this.#declared = new DeclaredAttributes(attributes);
  }

  override toTerraform(): object {
    return settledFragment({
      build: () => super.toTerraform(),
      inputs: () => ({ attributes: this.attributes, meta: this.terraformMetaArguments, overrides: this.rawOverrides }),
      asDeclared: () => unchanged(this.rawOverrides as object, this.terraformMetaArguments) && this.#declared.canonical !== notPlain,
      declaredFragment: () => declaredFragment("data", this.terraformResourceType, this.friendlyUniqueId, this.#declared.canonical as Canonical, this.constructNodeMetadata),
    });
  }
}
