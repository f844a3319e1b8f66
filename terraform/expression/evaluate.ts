// Evaluates an expression tree against a scope, as Terraform does: references (var., local.,
// each., count., path., module., data., resource types), operators, conditionals, `for`
// expressions, splats, templates with directives, and function calls. Unknown values flow
// through (an operation on an Unknown is Unknown), so a plan can be read before anything is
// applied. Every failure is an EvaluationError of one line that never quotes a value.
import type { Expression, ForExpression, TemplatePart } from "./syntax.ts";
import {
  EvaluationError,
  Unknown,
  equalValues,
  findUnknown,
  hasOwn,
  isMap,
  makeMap,
  missingAttribute,
  sortedKeys,
  toBool,
  toNumber,
  toText,
  typeName,
  type Value,
  type ValueMap,
} from "./values.ts";
import { traversalText } from "./text.ts";

/** What a reference's root resolves to; each returns undefined when the name is not declared. */
export interface Scope {
  variable(name: string): Value | undefined;
  local(name: string): Value | undefined;
  module(name: string): Value | undefined;
  resource(kind: "resource" | "data", type: string, name: string): Value | undefined;
  /** each.key/each.value, count.index, path.*, terraform.*: undefined where they do not exist. */
  special(root: "each" | "count" | "path" | "terraform" | "self"): Value | undefined;
  callFunction(name: string, args: readonly Value[]): Value;
}

/** A scope where nothing is declared: only functions (tfvars values, template files, defaults). */
export function functionsOnlyScope(callFunction: Scope["callFunction"]): Scope {
  return { variable: () => undefined, local: () => undefined, module: () => undefined, resource: () => undefined, special: () => undefined, callFunction };
}

/** The value of `expression`; `names` are bare names in scope (a template file's variables). */
export function evaluate(expression: Expression, scope: Scope, names: ValueMap = {}): Value {
  return new Evaluator(scope, new Map(Object.entries(names))).run(expression);
}

/** A function that needs its arguments unevaluated: try() and can() catch their errors. */
const lazyFunctions = new Set(["try", "can"]);

class Evaluator {
  constructor(
    private readonly scope: Scope,
    private readonly symbols: ReadonlyMap<string, Value>,
    private readonly splatItem?: Value,
  ) {}

  private with(names: Record<string, Value>): Evaluator {
    const symbols = new Map(this.symbols);
    for (const [name, value] of Object.entries(names)) symbols.set(name, value);
    return new Evaluator(this.scope, symbols, this.splatItem);
  }

  run(expression: Expression): Value {
    switch (expression.kind) {
      case "literal":
        return expression.value;
      case "parens":
        return this.run(expression.inner);
      case "template":
        return this.template(expression.parts);
      case "name":
      case "attribute":
      case "index":
        return this.traversal(expression);
      case "splat-item":
        if (this.splatItem === undefined) throw new EvaluationError("a splat step outside a splat");
        return this.splatItem;
      case "splat":
        return this.splat(expression.object, expression.each);
      case "call":
        return this.call(expression.name, expression.args, expression.expandLast);
      case "tuple":
        return expression.items.map((item) => this.run(item));
      case "object":
        return this.object(expression.items);
      case "unary":
        return this.unary(expression.op, this.run(expression.operand));
      case "binary":
        return this.binary(expression);
      case "conditional": {
        const condition = this.run(expression.condition);
        if (condition instanceof Unknown) return condition;
        return toBool(condition, "the condition") ? this.run(expression.then) : this.run(expression.otherwise);
      }
      case "for":
        return this.forExpression(expression);
    }
  }

  private traversal(expression: Expression): Value {
    if (expression.kind === "name") return this.root(expression.name, expression);
    if (expression.kind === "attribute") {
      const resolved = this.reference(expression);
      if (resolved !== undefined) return resolved;
      return getAttribute(this.run(expression.object), expression.name, expression);
    }
    if (expression.kind === "index") {
      const object = this.run(expression.object);
      return getIndex(object, this.run(expression.key), expression);
    }
    return this.run(expression);
  }

  private root(name: string, expression: Expression): Value {
    const symbol = this.symbols.get(name);
    if (symbol !== undefined) return symbol;
    if (name === "each" || name === "count" || name === "path" || name === "terraform" || name === "self") {
      const special = this.scope.special(name);
      if (special === undefined) throw new EvaluationError(specialMissing[name]);
      return special;
    }
    if (name === "var" || name === "local" || name === "module" || name === "data") {
      throw new EvaluationError(`"${name}" alone is not a value; write ${name}.NAME`);
    }
    throw new EvaluationError(
      `${traversalText(expression)} is not a value: a resource is referenced as TYPE.NAME, and "${name}" is no variable, local or iteration name here`,
    );
  }

  /** var.x, local.x, module.x, data.t.n, type.name: the declared thing, or undefined for other traversals. */
  private reference(expression: Expression & { kind: "attribute" }): Value | undefined {
    const object = expression.object;
    if (object.kind === "name" && !this.symbols.has(object.name)) {
      const name = expression.name;
      const root = object.name;
      const text = `${root}.${name}`;
      if (["data", "each", "count", "path", "terraform", "self"].includes(root)) return undefined;
      const found =
        root === "var" ? this.scope.variable(name)
        : root === "local" ? this.scope.local(name)
        : root === "module" ? this.scope.module(name)
        : this.scope.resource("resource", root, name);
      if (found === undefined) throw new EvaluationError(undeclared(root, text));
      return found;
    }
    if (object.kind === "attribute" && object.object.kind === "name" && object.object.name === "data" && !this.symbols.has("data")) {
      const found = this.scope.resource("data", object.name, expression.name);
      if (found === undefined) throw new EvaluationError(`data.${object.name}.${expression.name} is not declared in this module; declare the data source or fix the reference`);
      return found;
    }
    return undefined;
  }

  private splat(objectExpression: Expression, each: Expression): Value {
    const object = this.run(objectExpression);
    if (object instanceof Unknown) return object;
    if (object === null) return [];
    // A splat on one object (not a list) treats it as a list of one, as Terraform does.
    const items = Array.isArray(object) ? object : [object];
    return items.map((item) => new Evaluator(this.scope, this.symbols, item).run(each));
  }

  private object(items: readonly { key: Expression; value: Expression }[]): Value {
    const entries: [string, Value][] = [];
    for (const item of items) {
      const key = this.run(item.key);
      if (key instanceof Unknown) return key;
      entries.push([toText(key, "an object key"), this.run(item.value)]);
    }
    return makeMap(entries);
  }

  private unary(op: "!" | "-", value: Value): Value {
    if (value instanceof Unknown) return value;
    return op === "!" ? !toBool(value, 'the operand of "!"') : -toNumber(value, 'the operand of "-"');
  }

  private binary(expression: Expression & { kind: "binary" }): Value {
    const { op } = expression;
    const left = this.run(expression.left);
    // && and || stop early, as Terraform 1.12+ does.
    if (op === "&&" && left === false) return false;
    if (op === "||" && left === true) return true;
    const right = this.run(expression.right);
    if (op === "==" || op === "!=") {
      const unknown = findUnknown(left) ?? findUnknown(right);
      if (unknown) return unknown;
      return equalValues(left, right) === (op === "==");
    }
    if (left instanceof Unknown) return left;
    if (right instanceof Unknown) return right;
    if (op === "&&" || op === "||") {
      const a = toBool(left, `the left side of "${op}"`);
      const b = toBool(right, `the right side of "${op}"`);
      return op === "&&" ? a && b : a || b;
    }
    const a = toNumber(left, `the left side of "${op}"`);
    const b = toNumber(right, `the right side of "${op}"`);
    switch (op) {
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/":
        if (b === 0) throw new EvaluationError("division by zero");
        return a / b;
      case "%":
        if (b === 0) throw new EvaluationError("modulo by zero");
        return a % b;
    }
  }

  private forExpression(expression: ForExpression): Value {
    const collection = this.run(expression.collection);
    if (collection instanceof Unknown) return collection;
    const pairs = iterate(collection, "the collection of a for expression");
    const names = (key: Value, value: Value): Record<string, Value> =>
      expression.keyName === undefined ? { [expression.valueName]: value } : { [expression.keyName]: key, [expression.valueName]: value };
    if (expression.key === undefined) {
      const out: Value[] = [];
      for (const [key, value] of pairs) {
        const inner = this.with(names(key, value));
        if (expression.condition && !this.keep(inner.run(expression.condition))) continue;
        out.push(inner.run(expression.value));
      }
      return out;
    }
    const grouped = new Map<string, Value[]>();
    const single = new Map<string, Value>();
    for (const [key, value] of pairs) {
      const inner = this.with(names(key, value));
      if (expression.condition && !this.keep(inner.run(expression.condition))) continue;
      const keyValue = inner.run(expression.key);
      if (keyValue instanceof Unknown) return keyValue;
      const text = toText(keyValue, "a key of a for expression");
      const item = inner.run(expression.value);
      if (expression.group) grouped.set(text, [...(grouped.get(text) ?? []), item]);
      else if (single.has(text)) {
        throw new EvaluationError(`the for expression makes the key "${text}" twice; add "..." after the value to group them, or make the keys unique`);
      } else single.set(text, item);
    }
    return makeMap(expression.group ? grouped : single);
  }

  private keep(condition: Value): boolean {
    if (condition instanceof Unknown) throw new EvaluationError(`the "if" of a for expression depends on ${condition.origin}, which is ${condition.reason}`);
    return toBool(condition, 'the "if" of a for expression');
  }

  private template(parts: readonly TemplatePart[]): Value {
    let out = "";
    for (const part of parts) {
      const piece = this.templatePart(part);
      if (piece instanceof Unknown) return piece;
      out += piece;
    }
    return out;
  }

  private templatePart(part: TemplatePart): string | Unknown {
    switch (part.kind) {
      case "text":
        return part.text;
      case "interpolation": {
        const value = this.run(part.expression);
        if (value instanceof Unknown) return value;
        return toText(value, `the interpolation \${${traversalText(part.expression)}}`);
      }
      case "if": {
        const condition = this.run(part.condition);
        if (condition instanceof Unknown) return condition;
        const chosen = toBool(condition, "the %{if} condition") ? part.then : part.otherwise;
        const text = this.template(chosen);
        return text instanceof Unknown ? text : String(text);
      }
      case "for": {
        const collection = this.run(part.collection);
        if (collection instanceof Unknown) return collection;
        let out = "";
        for (const [key, value] of iterate(collection, "the collection of a %{for}")) {
          const names = part.keyName === undefined ? { [part.valueName]: value } : { [part.keyName]: key, [part.valueName]: value };
          const text = this.with(names).template(part.body);
          if (text instanceof Unknown) return text;
          out += String(text);
        }
        return out;
      }
    }
  }

  private call(name: string, argExpressions: readonly Expression[], expandLast: boolean): Value {
    if (lazyFunctions.has(name)) return this.lazyCall(name, argExpressions);
    const args = argExpressions.map((arg) => this.run(arg));
    if (expandLast) {
      const last = args.pop();
      if (last instanceof Unknown) return last;
      if (!Array.isArray(last)) throw new EvaluationError(`the last argument of ${name}(…) is expanded with "...", so it must be a list`);
      args.push(...last);
    }
    return this.scope.callFunction(name, args);
  }

  /** try(a, b, …): the first that evaluates without error; can(a): whether it does. */
  private lazyCall(name: string, args: readonly Expression[]): Value {
    if (name === "can") {
      if (args.length !== 1) throw new EvaluationError("can() takes exactly one argument");
      try {
        const value = this.run(args[0]!);
        return value instanceof Unknown ? value : true;
      } catch (error) {
        if (error instanceof EvaluationError) return false;
        throw error;
      }
    }
    if (args.length === 0) throw new EvaluationError("try() needs at least one argument");
    let last: EvaluationError | undefined;
    for (const arg of args) {
      try {
        return this.run(arg);
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error;
        last = error;
      }
    }
    throw new EvaluationError(`no argument of try() could be evaluated; the last said: ${last!.message}`);
  }
}

const specialMissing: Record<"each" | "count" | "path" | "terraform" | "self", string> = {
  each: "each.key and each.value exist only in a block with for_each (or its dynamic content's iterator)",
  count: "count.index exists only in a block with count",
  path: "path.* is not available here",
  terraform: "terraform.* is not available here",
  self: "self is only available in provisioner and connection blocks, which keybridge cannot run",
};

function undeclared(root: string, text: string): string {
  if (root === "var") return `${text} is not a declared variable; add a variable block for it or fix the name`;
  if (root === "local") return `${text} is not a declared local value; add it to a locals block or fix the name`;
  if (root === "module") return `${text} is not a declared module call; add a module block or fix the name`;
  return `${text} is not declared in this module; declare the resource or fix the reference`;
}

/** [key, value] pairs: index and item for a list, key and value (in key order) for a map. */
export function iterate(collection: Value, what: string): [Value, Value][] {
  if (Array.isArray(collection)) return collection.map((item, index) => [index, item]);
  if (isMap(collection)) return sortedKeys(collection).map((key) => [key, collection[key]!]);
  throw new EvaluationError(`${what} must be a list, set, map or object, got a ${typeName(collection)}`);
}

export function getAttribute(object: Value, name: string, expression: Expression): Value {
  if (object instanceof Unknown) return object;
  if (isMap(object)) {
    if (hasOwn(object, name)) return object[name]!;
    const missing = missingAttribute(object, name);
    if (missing) return missing(name);
    throw new EvaluationError(`${traversalText(expression)}: the object has no attribute "${name}"${knownKeys(object)}`);
  }
  if (object === null) throw new EvaluationError(`${traversalText(expression)}: cannot read "${name}" of a null value`);
  if (Array.isArray(object)) {
    throw new EvaluationError(`${traversalText(expression)}: "${name}" is read from a list; pick one element ([0], ["key"]) or use a splat ([*].${name})`);
  }
  throw new EvaluationError(`${traversalText(expression)}: cannot read "${name}" of a ${typeName(object)}`);
}

function knownKeys(object: ValueMap): string {
  const keys = sortedKeys(object);
  if (keys.length === 0) return "";
  const shown = keys.slice(0, 12).join(", ");
  return `; it has: ${shown}${keys.length > 12 ? ", …" : ""}`;
}

export function getIndex(object: Value, key: Value, expression: Expression): Value {
  if (object instanceof Unknown) return object;
  if (key instanceof Unknown) return key;
  if (Array.isArray(object)) {
    const index = toNumber(key, `the index in ${traversalText(expression)}`);
    if (!Number.isInteger(index) || index < 0 || index >= object.length) {
      throw new EvaluationError(`${traversalText(expression)}: index ${index} is out of range for a list of ${object.length}`);
    }
    return object[index]!;
  }
  if (isMap(object)) {
    const name = toText(key, `the key in ${traversalText(expression)}`);
    if (hasOwn(object, name)) return object[name]!;
    const missing = missingAttribute(object, name);
    if (missing) return missing(name);
    throw new EvaluationError(`${traversalText(expression)}: there is no key "${name}"${knownKeys(object)}`);
  }
  if (object === null) throw new EvaluationError(`${traversalText(expression)}: cannot index a null value`);
  throw new EvaluationError(`${traversalText(expression)}: cannot index a ${typeName(object)}`);
}
