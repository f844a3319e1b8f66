// What an expression refers to, found without evaluating it: the dependency graph is built from
// these (a resource that reads local.x depends on whatever local.x reads). Names bound by `for`
// expressions and template `%{for}` directives are not references.
import type { Expression, TemplatePart } from "./syntax.ts";

export type Reference =
  | { readonly kind: "var" | "local" | "module"; readonly name: string }
  | {
      readonly kind: "resource" | "data";
      readonly type: string;
      readonly name: string;
      /** The attribute read after the instance key, when written: `vault_policy.ci["a"].name` → "name". */
      readonly attribute?: string;
    };

export function findReferences(expression: Expression): Reference[] {
  const found: Reference[] = [];
  visit(expression, new Set(), found);
  return found;
}

const notResources = new Set(["var", "local", "module", "data", "each", "count", "path", "terraform", "self"]);

function visit(expression: Expression, bound: ReadonlySet<string>, found: Reference[]): void {
  switch (expression.kind) {
    case "attribute":
    case "index":
      visitTraversal(expression, bound, found);
      return;
    case "splat":
      visit(expression.object, bound, found);
      visit(expression.each, bound, found);
      return;
    case "call":
      for (const arg of expression.args) visit(arg, bound, found);
      return;
    case "tuple":
      for (const item of expression.items) visit(item, bound, found);
      return;
    case "object":
      for (const item of expression.items) {
        visit(item.key, bound, found);
        visit(item.value, bound, found);
      }
      return;
    case "unary":
      visit(expression.operand, bound, found);
      return;
    case "binary":
      visit(expression.left, bound, found);
      visit(expression.right, bound, found);
      return;
    case "conditional":
      visit(expression.condition, bound, found);
      visit(expression.then, bound, found);
      visit(expression.otherwise, bound, found);
      return;
    case "for": {
      visit(expression.collection, bound, found);
      const inner = new Set([...bound, expression.valueName, ...(expression.keyName ? [expression.keyName] : [])]);
      for (const part of [expression.key, expression.value, expression.condition]) if (part) visit(part, inner, found);
      return;
    }
    case "parens":
      visit(expression.inner, bound, found);
      return;
    case "template":
      for (const part of expression.parts) visitPart(part, bound, found);
      return;
    case "literal":
    case "name":
    case "splat-item":
      return;
  }
}

function visitPart(part: TemplatePart, bound: ReadonlySet<string>, found: Reference[]): void {
  if (part.kind === "interpolation") visit(part.expression, bound, found);
  else if (part.kind === "if") {
    visit(part.condition, bound, found);
    for (const inner of [...part.then, ...part.otherwise]) visitPart(inner, bound, found);
  } else if (part.kind === "for") {
    visit(part.collection, bound, found);
    const inner = new Set([...bound, part.valueName, ...(part.keyName ? [part.keyName] : [])]);
    for (const item of part.body) visitPart(item, inner, found);
  }
}

/** A chain of attribute and index steps, read from its root: `data.t.n[0].attr`. */
function visitTraversal(expression: Expression, bound: ReadonlySet<string>, found: Reference[]): void {
  const steps: Expression[] = [];
  let root = expression;
  while (root.kind === "attribute" || root.kind === "index") {
    steps.unshift(root);
    if (root.kind === "index") visit(root.key, bound, found);
    root = root.object;
  }
  if (root.kind !== "name") {
    visit(root, bound, found);
    return;
  }
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.kind !== "attribute") continue;
    const reference = asReference(step, bound);
    if (!reference) continue;
    if (reference.kind === "resource" || reference.kind === "data") {
      const rest = steps.slice(index + 1);
      const attribute = rest.find((candidate) => candidate.kind === "attribute");
      found.push(attribute?.kind === "attribute" ? { ...reference, attribute: attribute.name } : reference);
    } else found.push(reference);
    return;
  }
}

function asReference(expression: Expression & { kind: "attribute" }, bound: ReadonlySet<string>): Reference | undefined {
  const object = expression.object;
  if (object.kind === "name" && !bound.has(object.name)) {
    if (object.name === "var" || object.name === "local" || object.name === "module") return { kind: object.name, name: expression.name };
    if (!notResources.has(object.name)) return { kind: "resource", type: object.name, name: expression.name };
  }
  if (object.kind === "attribute" && object.object.kind === "name" && object.object.name === "data" && !bound.has("data")) {
    return { kind: "data", type: object.name, name: expression.name };
  }
  return undefined;
}
