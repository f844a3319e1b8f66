// Our elements' logical IDs, the names cdk.tf.json gives them ("platform_p0001_role_0A1B2C3D"),
// worked out as the framework's default naming (TerraformStack.allocateLogicalId) does, from the
// ids of the path below the stack, leaving out "Default". A single id is the name, cleaned of all
// but letters, digits, "_" and "-" (when 255 characters or fewer). Otherwise the ids, skipping one
// that the id kept before it ends with and then "Resource", are cleaned, joined with "_" and cut to
// 240 characters; then come "_" and the first 8 hex digits of the MD5 of the ids joined with "/",
// upper-case. The framework copies the whole path and hashes through a Hash object for each
// element; here each scope's part is worked out once and shared by the elements in it. At 45,000
// elements that was a fifth of declaring. A stack that names elements its own way (an overridden
// getLogicalId or allocateLogicalId), or whose first answer differs from the framework's, keeps the
// framework's getter; so does KEYBRIDGE_SYNTH=framework.
import { hash } from "node:crypto";
import { TerraformStack, type IConstruct } from "./cdk.ts";
import { fastSynthEnabled } from "./settled.ts";

/** A stack's naming methods (allocateLogicalId is protected in the framework's types). */
type Naming = { getLogicalId(element: IConstruct): string; allocateLogicalId(element: IConstruct): string };
/** The framework's naming, as the stack class has it. */
const framework = TerraformStack.prototype as unknown as Naming;
const frameworkGetLogicalId = framework.getLogicalId;
const frameworkAllocateLogicalId = framework.allocateLogicalId;

const leftOut = "Default";
const notHuman = "Resource";
const maxIdLength = 255;
const maxHumanLength = 240;
const hashLength = 8;
const disallowed = /[^A-Za-z0-9_-]/g;

/** The part of a path below its stack that logical IDs are made of. */
interface PathPart {
  /** The stack the path is below. */
  readonly stack: TerraformStack;
  /** How many ids (not "Default"). */
  readonly count: number;
  /** The ids joined with "/": what is hashed. */
  readonly joined: string;
  /** The last id kept after leaving out repeats, which the next id is compared with. */
  readonly lastKept: string | undefined;
  /** The cleaned ids kept, joined with "_", and how many there are. */
  readonly human: string;
  readonly humanCount: number;
}

function clean(id: string): string {
  return id.replace(disallowed, "");
}

/** The part with one more id at its end. */
function extended(part: PathPart, id: string): PathPart {
  if (id === leftOut) return part;
  const kept = part.lastKept === undefined || !part.lastKept.endsWith(id);
  const human = kept && id !== notHuman;
  return {
    stack: part.stack,
    count: part.count + 1,
    joined: part.count === 0 ? id : `${part.joined}/${id}`,
    lastKept: kept ? id : part.lastKept,
    human: human ? (part.humanCount === 0 ? clean(id) : `${part.human}_${clean(id)}`) : part.human,
    humanCount: human ? part.humanCount + 1 : part.humanCount,
  };
}

/** The logical ID of a path's part, or undefined where the framework would refuse (no id at all). */
function idOf(part: PathPart): string | undefined {
  if (part.count === 0) return undefined;
  if (part.count === 1) {
    const candidate = clean(part.joined);
    if (candidate.length <= maxIdLength) return candidate;
  }
  return `${part.human.slice(0, maxHumanLength)}_${hash("md5", part.joined, "hex").slice(0, hashLength).toUpperCase()}`;
}

/** Each scope's part below its stack; null for a scope under no stack. */
const parts = new WeakMap<IConstruct, PathPart | null>();

function partOf(scope: IConstruct): PathPart | null {
  let part = parts.get(scope);
  if (part === undefined) {
    if (TerraformStack.isStack(scope)) part = { stack: scope, count: 0, joined: "", lastKept: undefined, human: "", humanCount: 0 };
    else {
      const parent = scope.node.scope;
      const above = parent ? partOf(parent) : null;
      part = above && extended(above, scope.node.id);
    }
    parts.set(scope, part);
  }
  return part;
}

/**
 * Per stack, whether the fast path is on, the stack's naming is the framework's, and it gave what the
 * framework gives. Asked once per stack: reading the environment costs a call into the runtime.
 */
const checkedStacks = new WeakMap<TerraformStack, boolean>();

function namedAsFramework(stack: TerraformStack, element: IConstruct, id: string): boolean {
  let same = checkedStacks.get(stack);
  if (same === undefined) {
    const naming = stack as unknown as Naming;
    same = fastSynthEnabled() && naming.getLogicalId === frameworkGetLogicalId && naming.allocateLogicalId === frameworkAllocateLogicalId
      && frameworkAllocateLogicalId.call(stack, element) === id;
    checkedStacks.set(stack, same);
  }
  return same;
}

/** A logical ID, and the stack it names an element in. */
interface NamedInStack {
  readonly id: string;
  readonly stack: TerraformStack;
}

/** The logical ID of the child `id` of `scope` by the framework's default naming; undefined under no stack, or with no id. */
function childLogicalId(scope: IConstruct, id: string): NamedInStack | undefined {
  const above = partOf(scope);
  if (!above) return undefined;
  const logicalId = idOf(extended(above, id));
  return logicalId === undefined ? undefined : { id: logicalId, stack: above.stack };
}

/** The element's logical ID by the framework's default naming, and its stack; undefined under no stack, or with no id. */
export function defaultLogicalId(element: IConstruct): NamedInStack | undefined {
  const scope = element.node.scope;
  return scope ? childLogicalId(scope, element.node.id) : undefined;
}

/**
 * The logical ID a child `id` of `scope` (not made yet) will have, when its stack is known to name
 * elements as the framework does: checked on an element of the stack already. Else undefined.
 */
export function frameworkLogicalId(scope: IConstruct, id: string): NamedInStack | undefined {
  const named = childLogicalId(scope, id);
  return named && checkedStacks.get(named.stack) === true ? named : undefined;
}

/**
 * The element's logical ID as its stack's naming gives it, or undefined when the framework's own
 * getter must answer (the stack names elements its own way, or the element is under none).
 */
export function logicalIdOf(element: IConstruct): string | undefined {
  const named = defaultLogicalId(element);
  return named && namedAsFramework(named.stack, element, named.id) ? named.id : undefined;
}
