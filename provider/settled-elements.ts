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
import { Construct, TerraformDataSource, TerraformOutput, TerraformResource, type TerraformProvider, type TerraformStack } from "./cdk.ts";
import { holdsToken, notPlain, settled, settledFragment, type FragmentSource, type Plain } from "./settled.ts";
import { arrayIndexKey, canonical, canonicalCopy, type Canonical } from "./canonical-attributes.ts";
import { putAside, stackMode, type Body } from "./bodies-aside.ts";
import { logicalIdOf } from "./logical-ids.ts";

/** Whether a value holds an object the framework writes as an element's address (one with "fqn"). */
function namesAnElement(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(namesAnElement);
  return "fqn" in value || Object.values(value).some(namesAnElement);
}

/** Whether nothing was added to an element since it was declared: no override, no meta-argument. */
function unchanged(overrides: object, meta: Record<string, unknown>): boolean {
  for (const key in overrides) if (Object.hasOwn(overrides, key)) return false;
  for (const key in meta) if (meta[key] !== undefined) return false;
  return true;
}

const metadataKeys: ReadonlySet<string> = new Set(["path", "uniqueId", "stackTrace"]);

/**
 * The construct's metadata as the framework's resolver leaves it. The usual one,
 * { metadata: { path, uniqueId, stackTrace: undefined } }, is built so directly (in key order);
 * anything else is copied by canonical().
 */
function plainMetadata(nodeMetadata: object): Plain<Canonical> {
  const { metadata } = nodeMetadata as { metadata?: Record<string, unknown> };
  const usual = metadata !== undefined && Object.keys(nodeMetadata).length === 1 && Object.keys(metadata).every((key) => metadataKeys.has(key))
    && metadata.stackTrace === undefined && typeof metadata.path === "string" && typeof metadata.uniqueId === "string"
    && !holdsToken(metadata.path) && !holdsToken(metadata.uniqueId);
  return usual ? { value: { metadata: { path: metadata.path, uniqueId: metadata.uniqueId } }, asIs: true } : canonical(nodeMetadata);
}

/** An element's body: the attributes and "//" with the construct's metadata, key-sorted (so "//" first). */
export function declaredBody(attributes: Canonical, nodeMetadata: object): Body {
  const metadata = plainMetadata(nodeMetadata);
  const keys = Object.keys(attributes.value);
  if (metadata === notPlain || (keys.length > 0 && keys[0]! < "//")) {
    // Not reached by our attributes and construct paths; kept in the framework's order.
    return { body: { ...attributes.value, "//": metadata === notPlain ? nodeMetadata : metadata.value }, asIs: false };
  }
  const body: Record<string, unknown> = { "//": metadata.value };
  for (const key of keys) body[key] = attributes.value[key];
  return { body, asIs: attributes.asIs && metadata.asIs };
}

/** What our resources and data sources tell the fast path about themselves. */
interface DeclaredElement {
  readonly block: "resource" | "data";
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  readonly cdktfStack: TerraformStack;
  /** Whether nothing was added since declaration (meta-argument, provisioner, override, move, import). */
  isAsDeclared(): boolean;
  /** The framework's "//" metadata of the construct (protected there). */
  nodeMetadata(): object;
  /** The superclass's toTerraform(). */
  frameworkFragment(): object;
  /** Everything the framework's fragment is made of, for the preparing pass to check. */
  fragmentInputs(): unknown;
}

/** The fast path's view of one element of ours: its attributes, checked once, and what it contributes. */
class DeclaredSource implements FragmentSource {
  readonly #element: DeclaredElement;
  readonly #attributes: object;
  /** The attributes checked for tokens and key-sorted, the first time they are asked for. */
  #checked: Plain<Canonical> | undefined;
  #stack: TerraformStack | undefined;

  constructor(element: DeclaredElement, attributes: object) {
    this.#element = element;
    this.#attributes = attributes;
  }

  /**
   * What toTerraform() returns: nothing while the element's stack is prepared, or, with the body
   * put aside, while its document is built for the stack writer; else a lazy fragment (settled.ts).
   */
  toTerraform(): object {
    const attributes = this.#canonical();
    if (!attributes) return settledFragment(this);
    const element = this.#element;
    // The stack is looked up once: the framework walks up the tree for it each time.
    this.#stack ??= element.cdktfStack;
    switch (stackMode(this.#stack)) {
      case "skip":
        return {};
      case "aside": {
        const { body, asIs } = declaredBody(attributes, element.nodeMetadata());
        putAside({ block: element.block, type: element.terraformResourceType, name: element.friendlyUniqueId, body, asIs });
        return {};
      }
      default:
        return settledFragment(this);
    }
  }

  frameworkFragment(): object {
    return this.#element.frameworkFragment();
  }

  fragmentInputs(): unknown {
    return this.#element.fragmentInputs();
  }

  settlesAsDeclared(): boolean {
    return this.#canonical() !== undefined;
  }

  declaredFragment(): Record<string, unknown> | undefined {
    if (!this.#canonical()) return undefined;
    // Handed out (stack.toTerraform()): a copy, which shares nothing with the attributes.
    const attributes = canonicalCopy(this.#attributes);
    if (attributes === notPlain) return undefined;
    const { block, terraformResourceType, friendlyUniqueId } = this.#element;
    return { [block]: { [terraformResourceType]: { [friendlyUniqueId]: settled(declaredBody(attributes, this.#element.nodeMetadata()).body) } } };
  }

  /** The canonical attributes when the element is as declared and they hold no token. */
  #canonical(): Canonical | undefined {
    if (!this.#element.isAsDeclared()) return undefined;
    this.#checked ??= canonical(this.#attributes);
    return this.#checked === notPlain ? undefined : this.#checked;
  }
}

/** A resource attribute as a Terraform expression: what the framework's reference token resolves to within its stack. */
export function resourceReference(type: string, logicalId: string, attribute: string): string {
  return `\${${type}.${logicalId}.${attribute}}`;
}

/** A resource of a provider without prebuilt bindings, with the attributes given (the provider's snake_case names). */
export class SettledResource<Attributes extends object> extends TerraformResource implements DeclaredElement {
  readonly block = "resource";
  protected readonly attributes: Attributes;
  readonly #source: DeclaredSource;
  #imported = false;
  #logicalId: string | undefined;
  /** Whether overrideLogicalId() named the element (and resetOverrideLogicalId() did not undo it). */
  #idOverridden = false;

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof TerraformResource>[2], attributes: Attributes) {
    super(scope, id, config);
    this.attributes = attributes;
    this.#source = new DeclaredSource(this, attributes);
  }

  /**
   * Worked out by provider/logical-ids.ts and kept once asked for, as the framework's getter keeps
   * it. The framework's getter answers when overrideLogicalId() named the element, and when asked
   * before this class's fields exist (during the superclass's constructor).
   */
  override get friendlyUniqueId(): string {
    if (!(#logicalId in this)) return super.friendlyUniqueId;
    this.#logicalId ??= (this.#idOverridden ? undefined : logicalIdOf(this)) ?? super.friendlyUniqueId;
    return this.#logicalId;
  }

  override overrideLogicalId(newLogicalId: string): void {
    super.overrideLogicalId(newLogicalId);
    this.#idOverridden = true;
  }

  override resetOverrideLogicalId(): void {
    super.resetOverrideLogicalId();
    this.#idOverridden = false;
  }

  /** An attribute as a Terraform reference: the expression itself, not a token, so plain bodies stay plain. */
  ref(attribute: string): string {
    return resourceReference(this.terraformResourceType, this.friendlyUniqueId, attribute);
  }

  override importFrom(id: string, provider?: TerraformProvider): void {
    this.#imported = true;
    super.importFrom(id, provider);
  }

  override toTerraform(): object {
    return this.#source.toTerraform();
  }

  isAsDeclared(): boolean {
    return !this.#imported && !this.hasResourceMove() && this.provisioners === undefined && unchanged(this.rawOverrides as object, this.terraformMetaArguments);
  }

  /** With no override, import or move to report, what the framework's resolves to ({}), without members to resolve. */
  override toMetadata(): object {
    return this.#imported || this.hasResourceMove() || !unchanged(this.rawOverrides as object, {}) ? super.toMetadata() : {};
  }

  nodeMetadata(): object {
    return this.constructNodeMetadata;
  }

  frameworkFragment(): object {
    return super.toTerraform();
  }

  fragmentInputs(): unknown {
    return { attributes: this.attributes, meta: this.terraformMetaArguments, provisioners: this.provisioners, overrides: this.rawOverrides };
  }
}

/**
 * A data source of a provider without prebuilt bindings, with the attributes given. Its logical ID
 * is the framework's getter's: an app has a handful of data sources, not thousands.
 */
export class SettledDataSource<Attributes extends object> extends TerraformDataSource implements DeclaredElement {
  readonly block = "data";
  protected readonly attributes: Attributes;
  readonly #source: DeclaredSource;

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof TerraformDataSource>[2], attributes: Attributes) {
    super(scope, id, config);
    this.attributes = attributes;
    this.#source = new DeclaredSource(this, attributes);
  }

  override toTerraform(): object {
    return this.#source.toTerraform();
  }

  isAsDeclared(): boolean {
    return unchanged(this.rawOverrides as object, this.terraformMetaArguments);
  }

  nodeMetadata(): object {
    return this.constructNodeMetadata;
  }

  frameworkFragment(): object {
    return super.toTerraform();
  }

  fragmentInputs(): unknown {
    return { attributes: this.attributes, meta: this.terraformMetaArguments, overrides: this.rawOverrides };
  }
}

/**
 * A TerraformOutput whose body, when plain, skips the framework's resolver: put aside while its
 * stack is synthesized, settled otherwise.
 */
export class SettledOutput extends TerraformOutput implements FragmentSource {
  #stack: TerraformStack | undefined;

  override toTerraform(): object {
    this.#stack ??= this.cdktfStack;
    const mode = stackMode(this.#stack);
    // Known to hold no token without a walk (SettledMapOutput): nothing for the preparing pass.
    if (mode === "skip" && this.bodyIsChecked()) return {};
    if (mode !== "aside") return settledFragment(this);
    let body = this.checkedBody() ?? this.#declaredBody();
    if (body === undefined) {
      const fragment = this.frameworkFragment() as { output: Record<string, object> };
      const framework = canonical(fragment.output[this.friendlyUniqueId]!);
      if (framework === notPlain) return fragment;
      body = framework;
    }
    putAside({ block: "output", type: "", name: this.friendlyUniqueId, body: body.value, asIs: body.asIs });
    return {};
  }

  /**
   * The body as the framework's toTerraform() makes it, without its copy of the value: when nothing
   * was added (no override, no dependsOn) and the value is plain, naming no element (no "fqn").
   */
  #declaredBody(): Canonical | undefined {
    if (!unchanged(this.rawOverrides as object, { dependsOn: this.dependsOn }) || namesAnElement(this.value)) return undefined;
    const body = canonical({ description: this.description, sensitive: this.sensitive, value: this.value });
    return body === notPlain ? undefined : body;
  }

  /** The body, when known to be plain without walking the value (see SettledMapOutput); else undefined. */
  protected checkedBody(): Canonical | undefined {
    return undefined;
  }

  /** Whether checkedBody() has a body to give, without building it. */
  protected bodyIsChecked(): boolean {
    return false;
  }

  frameworkFragment(): object {
    return super.toTerraform();
  }

  fragmentInputs(): unknown {
    return { value: this.value, description: this.description, sensitive: this.sensitive, dependsOn: this.dependsOn, precondition: this.precondition, overrides: this.rawOverrides };
  }
}

/**
 * A SettledOutput whose value is a map its owner fills with setEntry() (one entry per grant). Each
 * entry is checked as it is set, in its canonical form, so synth neither walks the map for tokens
 * while the stack is prepared nor walks it again to write it. Anything else (the value replaced, an
 * override or dependsOn added, an entry holding a token or naming an element, a description that
 * is not plain text) and the output goes SettledOutput's way.
 */
export class SettledMapOutput extends SettledOutput {
  readonly #entries: Record<string, unknown> = {};
  /** Each entry's canonical form, by key; undefined once an entry is not plain. */
  #checked: Map<string, Canonical> | undefined = new Map();

  constructor(scope: Construct, id: string, config: { readonly description?: string; readonly sensitive?: boolean }) {
    super(scope, id, { ...config, value: {} });
    this.value = this.#entries;
  }

  setEntry(key: string, entry: Record<string, unknown>): void {
    this.#entries[key] = entry;
    if (!this.#checked) return;
    const checked = namesAnElement(entry) ? notPlain : canonical(entry);
    if (checked === notPlain) this.#checked = undefined;
    else this.#checked.set(key, checked);
  }

  protected override bodyIsChecked(): boolean {
    const checked = this.#checked;
    if (!checked || this.value !== this.#entries || checked.size === 0 || !unchanged(this.rawOverrides as object, { dependsOn: this.dependsOn })) return false;
    const { description, sensitive } = this;
    return (description === undefined || (typeof description === "string" && !holdsToken(description))) && (sensitive === undefined || typeof sensitive === "boolean");
  }

  protected override checkedBody(): Canonical | undefined {
    if (!this.bodyIsChecked()) return undefined;
    const checked = this.#checked!;
    const { description, sensitive } = this;
    const value: Record<string, unknown> = {};
    let asIs = true;
    for (const key of [...checked.keys()].sort()) {
      const entry = checked.get(key)!;
      value[key] = entry.value;
      asIs &&= entry.asIs && !arrayIndexKey.test(key);
    }
    // Keys in order: description, sensitive, value.
    const body: Record<string, unknown> = {};
    if (description !== undefined) body.description = description;
    if (sensitive !== undefined) body.sensitive = sensitive;
    body.value = value;
    return { value: body, asIs };
  }
}
