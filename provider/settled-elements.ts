// The base of our resources and data sources (Vault's, Infisical's). As declared, they build their
// body here instead of through the framework's toTerraform(), which merges meta-arguments,
// provisioners and overrides into the attributes before the fast path walks the result for tokens
// again (a quarter of synth at 1,000 projects, profiled). The body holds what the framework's
// holds: the attributes without their undefined members (provider/canonical-attributes.ts), and
// "//" with the construct's metadata. While a stack is synthesized the body is put aside
// (provider/bodies-aside.ts); elsewhere (Testing.synth(), stack.toTerraform()) it is settled for
// the framework's resolver (provider/settled.ts). An element with anything more (a meta-argument,
// a provisioner, an escape-hatch override, a move, an import), or a token in its attributes, goes
// through the framework's toTerraform() as before.
import { Construct, TerraformDataSource, TerraformResource, type TerraformProvider, type TerraformStack } from "./cdk.ts";
import { notPlain, settled, settledFragment, type FragmentSource, type Plain } from "./settled.ts";
import { canonical, DeclaredAttributes, type Canonical } from "./canonical-attributes.ts";
import { declaredMode, putAside, type Body } from "./bodies-aside.ts";

/** Whether nothing was added to an element since it was declared: no override, no meta-argument. */
function unchanged(overrides: object, meta: Record<string, unknown>): boolean {
  for (const key in overrides) if (Object.hasOwn(overrides, key)) return false;
  for (const key in meta) if (meta[key] !== undefined) return false;
  return true;
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
  if (attributes === undefined || attributes === notPlain) return settledFragment(element);
  switch (declaredMode(element)) {
    case "skip":
      return {};
    case "aside":
      putAside({ block: element.block, type: element.terraformResourceType, name: element.friendlyUniqueId, ...declaredBody(attributes, element.nodeMetadata()) });
      return {};
    default:
      return settledFragment(element);
  }
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
