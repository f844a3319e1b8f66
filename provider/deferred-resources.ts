// Resources that become constructs when something looks for them. A target declares its many
// per-grant and per-secret resources here; each is kept as a record (scope, id, type, attributes,
// logical ID) until the construct tree below its scope is looked at: the scope's children listed
// (node.children, findAll, an aspect's walk, Testing.synth()), a child looked up (tryFindChild,
// findChild), added or removed. Then the scope's records are made into the constructs they stand
// for, in the order declared, and from there on nothing differs. While app.synth() writes a stack
// through the stack writer (provider/stack-writer.ts), the framework's own walks do not count as
// looking: the records' bodies go straight into cdk.tf.json, byte for byte what their constructs
// write. At 45,000 resources that is a quarter of the time to declare and synthesize them, most
// of it making the constructs and the garbage collector's copying of them. A stack in an app that
// adds an aspect, whose own overrides write into resources, that names elements its own way, that
// another synthesizer writes, or under KEYBRIDGE_SYNTH=framework gets the constructs first.
import { Aspects, Node, type Construct, type IConstruct, type TerraformStack } from "./cdk.ts";
import { canonical, type Canonical } from "./canonical-attributes.ts";
import { holdsToken, notPlain } from "./settled.ts";
import { frameworkLogicalId } from "./logical-ids.ts";
import { declaredBody, resourceReference } from "./settled-elements.ts";
import type { AsideBody } from "./bodies-aside.ts";

/** A declared resource, made or not: its attributes as Terraform references. */
export interface ResourceAddress {
  ref(attribute: string): string;
}

/** A resource construct as made: its address, and its logical ID. */
export interface MadeResource extends ResourceAddress {
  readonly friendlyUniqueId: string;
}

/** Makes the construct a record stands for (a target's resource class). */
export type MakeResource = (scope: Construct, id: string, type: string, attributes: object) => MadeResource;

/** A resource declared and not made yet; its address, by the logical ID it will have. */
class ResourceRecord implements ResourceAddress {
  /** Whether a reference was handed out: its construct's logical ID is then fixed when made, as reading it fixes a construct's. */
  referenced = false;

  constructor(
    readonly id: string,
    readonly type: string,
    /** As declared, for its construct. */
    readonly attributes: object,
    /** Key-sorted and checked for tokens, for its body: the attributes themselves when written in order. */
    readonly canonical: Canonical,
    readonly logicalId: string,
    readonly make: MakeResource,
  ) {}

  ref(attribute: string): string {
    this.referenced = true;
    return resourceReference(this.type, this.logicalId, attribute);
  }
}

/** The records declared in one scope, the stack the scope is in, and its path (which their bodies name). */
interface ScopeRecords {
  readonly scope: Construct;
  readonly stack: TerraformStack;
  readonly path: string;
  readonly records: ResourceRecord[];
}

/** By the scope's node: the node is what is looked at. */
const recordsOfNode = new WeakMap<Node, ScopeRecords>();
/** Per stack, its scopes holding records, in the order their first record was declared. */
const scopesOfStack = new WeakMap<TerraformStack, Set<Construct>>();
/** The stacks app.synth() is writing with their records kept: the framework's walks leave them be. */
const keptStacks = new Set<TerraformStack>();

/** Makes the records of the scope with this node into constructs, and gives the node back the framework's prototype. */
function makeRecords(node: Node): void {
  const held = recordsOfNode.get(node);
  if (!held) return;
  recordsOfNode.delete(node);
  scopesOfStack.get(held.stack)?.delete(held.scope);
  Object.setPrototypeOf(node, Node.prototype);
  for (const { id, type, attributes, make, referenced } of held.records) {
    const made = make(held.scope, id, type, attributes);
    // Read, the framework's getter keeps it: an override after this names nothing the references missed.
    if (referenced) void made.friendlyUniqueId;
  }
}

/** Makes the node's records when it is looked at: not while app.synth() writes its stack with them kept. */
function looked(node: Node): void {
  const held = recordsOfNode.get(node);
  if (held !== undefined && !keptStacks.has(held.stack)) makeRecords(node);
}

/** The node's members that reach its children (addChild is private in the framework's types). */
interface ChildAccess {
  tryFindChild(id: string): IConstruct | undefined;
  tryRemoveChild(childName: string): boolean;
  addChild(child: Construct, childName: string): void;
}
const framework = Node.prototype as unknown as ChildAccess;
const frameworkChildren = Object.getOwnPropertyDescriptor(Node.prototype, "children")!.get!;

/**
 * The prototype of the node of a scope holding records: every way to its children makes them
 * first. The framework creates each node itself, so a scope's node is given this prototype when its
 * first record is declared, and the framework's back when they are made.
 */
const deferringNode: object = Object.create(Node.prototype, {
  children: {
    get(this: Node) {
      looked(this);
      return frameworkChildren.call(this) as IConstruct[];
    },
  },
  tryFindChild: {
    value(this: Node, id: string) {
      looked(this);
      return framework.tryFindChild.call(this, id);
    },
  },
  tryRemoveChild: {
    value(this: Node, childName: string) {
      makeRecords(this);
      return framework.tryRemoveChild.call(this, childName);
    },
  },
  addChild: {
    value(this: Node, child: Construct, childName: string) {
      makeRecords(this);
      framework.addChild.call(this, child, childName);
    },
  },
});

/**
 * The scope's records, for a resource `id` to be kept with them: a new list when the scope holds
 * none yet (given the deferring node). Undefined when it must be made at once: its id is taken, or
 * the scope's node is not the framework's (a subclass another library gave), is locked, or its
 * path holds a token.
 */
function recordsFor(scope: Construct, stack: TerraformStack, id: string): ScopeRecords | undefined {
  const held = recordsOfNode.get(scope.node);
  if (held) return held.records.some((record) => record.id === id) ? undefined : held;
  if (Object.getPrototypeOf(scope.node) !== Node.prototype || scope.node.locked) return undefined;
  const path = scope.node.path;
  if (holdsToken(path)) return undefined;
  const created: ScopeRecords = { scope, stack, path, records: [] };
  recordsOfNode.set(scope.node, created);
  let scopes = scopesOfStack.get(stack);
  if (!scopes) scopesOfStack.set(stack, (scopes = new Set()));
  scopes.add(scope);
  Object.setPrototypeOf(scope.node, deferringNode);
  return created;
}

/**
 * Declares a resource of `type` with `attributes` as the child `id` of `scope`, kept as a record
 * until something looks, or made at once by `make` when it cannot wait (a token in it, a stack that
 * names elements its own way, an id taken). Answers its address: the construct itself when made,
 * which works out its logical ID only when a reference asks (as before, an app may still override it).
 */
export function declareResource(scope: Construct, id: string, type: string, attributes: object, make: MakeResource): ResourceAddress {
  // The constructs' rule for ids: "/" separates a path, and becomes "--".
  const childId = id.includes("/") ? id.replace(/\//g, "--") : id;
  const named = frameworkLogicalId(scope, childId);
  const plain = named ? canonical(attributes) : notPlain;
  const held = named && plain !== notPlain ? recordsFor(scope, named.stack, childId) : undefined;
  if (!named || plain === notPlain || !held) {
    makeRecords(scope.node);
    return make(scope, id, type, attributes);
  }
  const record = new ResourceRecord(childId, type, attributes, plain, named.id, make);
  held.records.push(record);
  return record;
}

/** Makes every record of the stack into its construct. */
export function makeStackRecords(stack: TerraformStack): void {
  const scopes = scopesOfStack.get(stack);
  if (!scopes) return;
  for (const scope of [...scopes]) makeRecords(scope.node);
}

/**
 * Whether the stack holds records and its app adds an aspect anywhere: one above a record would
 * visit its resource, and one elsewhere may walk the whole tree looking for it.
 */
export function appAddsAspects(stack: TerraformStack): boolean {
  if (!scopesOfStack.get(stack)?.size) return false;
  // The framework's aspect pass asks every construct of each stack for its aspects too: this adds few objects it would not.
  return stack.node.root.node.findAll().some((construct) => Aspects.of(construct).all.length > 0);
}

/** The bodies of the stack's records, as their constructs would put them aside for the stack writer. */
export function recordBodies(stack: TerraformStack): AsideBody[] {
  const bodies: AsideBody[] = [];
  for (const scope of scopesOfStack.get(stack) ?? []) {
    const { path, records } = recordsOfNode.get(scope.node)!;
    for (const { id, type, canonical, logicalId } of records) {
      // What the framework's constructNodeMetadata holds for an element without a stack trace.
      const metadata = { metadata: { path: `${path}/${id}`, uniqueId: logicalId, stackTrace: undefined } };
      const { body, asIs } = declaredBody(canonical, metadata);
      bodies.push({ block: "resource", type, name: logicalId, body, asIs });
    }
  }
  return bodies;
}

/** Per app whose synth() is wrapped, its stacks with records and whether the stack writer writes them. */
const watchedApps = new WeakMap<object, Map<TerraformStack, () => boolean>>();

/**
 * While the stack's app runs synth(), the framework's walks leave the stack's records be, for the
 * stack writer to write, when `writerWrites()` says the stack's synthesizer is still the one that
 * calls it; otherwise they are made before the app's first walk. An app without synth() (a stack
 * under some other root) gets the constructs whenever it walks.
 */
export function keepRecordsWhileSynthesizing(stack: TerraformStack, writerWrites: () => boolean): void {
  const app = stack.node.root as { synth?: () => void };
  if (typeof app.synth !== "function") return;
  let stacks = watchedApps.get(app);
  if (!stacks) {
    stacks = new Map();
    watchedApps.set(app, stacks);
    app.synth = keepingRecords(app.synth.bind(app), stacks);
  }
  stacks.set(stack, writerWrites);
}

/** The app's synth(), with each watched stack's records kept while it runs, or made first when the stack writer will not write them. */
function keepingRecords(synth: () => void, stacks: ReadonlyMap<TerraformStack, () => boolean>): () => void {
  return () => {
    for (const [stack, writerWrites] of stacks) {
      if (writerWrites()) keptStacks.add(stack);
      else makeStackRecords(stack);
    }
    try {
      synth();
    } finally {
      keptStacks.clear();
    }
  };
}
