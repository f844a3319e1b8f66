// The order resources are applied in: everything a resource references (or names in depends_on)
// comes before it; among resources that are ready at the same time, the file's order decides, so
// the order (and the audit log) is the same on every run. A cycle cannot be ordered: it is
// returned as the addresses around it, first one repeated at the end.

export interface GraphNode {
  readonly address: string;
  /** Addresses this node needs first; all of them are nodes of the graph. */
  readonly needs: readonly string[];
}

export type Ordering = { readonly order: string[] } | { readonly cycle: string[] };

export function orderNodes(nodes: readonly GraphNode[]): Ordering {
  const position = new Map(nodes.map((node, index) => [node.address, index]));
  const waitingOn = new Map(nodes.map((node) => [node.address, new Set(node.needs)]));
  const dependents = new Map<string, string[]>(nodes.map((node) => [node.address, []]));
  for (const node of nodes) for (const need of new Set(node.needs)) dependents.get(need)?.push(node.address);

  const ready = nodes.filter((node) => waitingOn.get(node.address)!.size === 0).map((node) => node.address);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const next = ready.shift()!;
    order.push(next);
    for (const dependent of dependents.get(next)!) {
      const waiting = waitingOn.get(dependent)!;
      waiting.delete(next);
      if (waiting.size === 0) ready.push(dependent);
    }
  }
  if (order.length === nodes.length) return { order };
  return { cycle: findCycle(nodes, new Set(order)) };
}

/** A cycle among the nodes that could not be ordered (each of them waits on another one of them). */
function findCycle(nodes: readonly GraphNode[], done: ReadonlySet<string>): string[] {
  const needs = new Map(nodes.map((node) => [node.address, node.needs.filter((need) => !done.has(need))]));
  const start = nodes.find((node) => !done.has(node.address))!.address;
  // Walk "needs" edges from a stuck node: every stuck node has one, so the walk must revisit a node.
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = start;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = needs.get(current)![0]!;
  }
  return [...path.slice(seen.get(current)!), current];
}
