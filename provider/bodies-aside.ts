// Our elements' bodies put aside while the framework builds a stack's document for the stack
// writer, and put in their places after: the framework then neither resolves, merges nor walks
// them, and the writer takes them as they are. Likewise app.synth()'s preparing pass, which only
// looks for tokens, skips elements that hold none. Both are scoped to one stack and one call.
import type { TerraformStack } from "./cdk.ts";
import { arrayIndexKey } from "./canonical-attributes.ts";
import { compareText } from "../policy/text-order.ts";
import { fastSynthEnabled, stackOverridesBlocks } from "./settled.ts";

/** An element's body, and whether the stack writer may write it as it is (see stableJson()). */
export interface Body {
  readonly body: Record<string, unknown>;
  readonly asIs: boolean;
}

/** A body put aside while the stack's document is built for the stack writer, to be put in its place after. */
export interface AsideBody extends Body {
  readonly block: "resource" | "data" | "output";
  /** The resource or data source type; "" for an output, whose body sits in its block by name. */
  readonly type: string;
  readonly name: string;
}

/** The stack whose document is being built for the stack writer, and the bodies put aside. */
let aside: { readonly stack: TerraformStack; readonly bodies: AsideBody[] } | undefined;

/** The bodies by block and type, each list sorted by name, and the types and blocks sorted too. */
function sortedGroups(bodies: readonly AsideBody[]): Map<string, Map<string, AsideBody[]>> {
  const groups = new Map<string, Map<string, AsideBody[]>>();
  for (const body of bodies) {
    const types = groups.get(body.block) ?? groups.set(body.block, new Map()).get(body.block)!;
    (types.get(body.type) ?? types.set(body.type, []).get(body.type)!).push(body);
  }
  const sorted = new Map<string, Map<string, AsideBody[]>>();
  for (const block of [...groups.keys()].sort(compareText)) {
    const types = groups.get(block)!;
    // Names are unique within a type: never equal.
    sorted.set(block, new Map([...types.keys()].sort(compareText).map((type) => [type, types.get(type)!.sort((a, b) => compareText(a.name, b.name))])));
  }
  return sorted;
}

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
      const byName = type === "";
      const madeType = byName ? madeBlock : !Object.hasOwn(blocks, type);
      const target = byName ? blocks : (blocks[type] ??= {});
      let typeAsIs = madeType && !arrayIndexKey.test(type);
      for (const { name, body, asIs: bodyAsIs } of named) {
        if (Object.hasOwn(target, name)) return undefined;
        target[name] = body;
        typeAsIs &&= bodyAsIs && !arrayIndexKey.test(name);
      }
      // The writer takes a type as it is without looking at its bodies: only those of other types are listed.
      if (typeAsIs && !byName) asIs.add(target);
      else for (const { body, asIs: bodyAsIs } of named) if (bodyAsIs) asIs.add(body);
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

/** Resources of the stack not made as constructs (provider/deferred-resources.ts): their bodies, and how to make them. */
export interface StackRecords {
  bodies(): AsideBody[];
  make(): void;
}

/**
 * The stack's document, built by `build` (the framework's toTerraform()) with the bodies of our
 * elements as declared put aside, and the records' bodies with them, and put in place after: the
 * framework neither merges nor walks them. When the stack's own overrides write into resources,
 * data sources or outputs, the document is built the framework's way; when a body's place is taken
 * anyway, the records are made and it is built again so.
 */
export function buildWithBodiesAside(stack: TerraformStack, build: () => unknown, records: StackRecords): StackDocument {
  if (aside || stackOverridesBlocks(stack)) {
    records.make();
    return { document: build(), asIs: new Set() };
  }
  const current = { stack, bodies: records.bodies() };
  aside = current;
  let document: unknown;
  try {
    document = build();
  } finally {
    aside = undefined;
  }
  const asIs = putInPlace(document as Record<string, unknown>, current.bodies);
  if (asIs) return { document, asIs };
  records.make();
  return { document: build(), asIs: new Set() };
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


/**
 * What an element of ours holding no token, in this stack, contributes now: nothing while its stack
 * is prepared ("skip"), its body to put aside while its stack's document is built for the writer
 * ("aside"), else its settled fragment ("settle"). Callers look their stack up once: the framework
 * walks up the construct tree for it on every read, and an element's stack never changes.
 */
export function stackMode(stack: TerraformStack): "skip" | "aside" | "settle" {
  if (!preparing && !aside) return "settle";
  if (stack === preparing) return "skip";
  return stack === aside?.stack ? "aside" : "settle";
}

/** Puts a body aside (stackMode() said "aside"). */
export function putAside(body: AsideBody): void {
  aside?.bodies.push(body);
}
