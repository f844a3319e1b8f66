// Input variables as Terraform assigns them (its documented precedence, later wins): TF_VAR_
// environment variables, then terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in
// lexical order of their names, then -var and -var-file in command-line order; a default when
// none gives a value. Values given as text (-var, TF_VAR_) are taken literally for a variable
// of type string or without a type, and parsed as an HCL expression otherwise, as Terraform
// does. Values are converted to the declared type (optional() attributes and their defaults).
import { parseExpression, parseTemplate } from "./expression/parse.ts";
import type { Expression } from "./expression/syntax.ts";
import {
  EvaluationError,
  Unknown,
  hasOwn,
  isMap,
  makeMap,
  numberText,
  sortedKeys,
  toBool,
  toNumber,
  toSet,
  toText,
  typeName,
  type Value,
} from "./expression/values.ts";

export type TypeSpec =
  | { readonly kind: "any" | "string" | "number" | "bool" }
  | { readonly kind: "list" | "set" | "map"; readonly element: TypeSpec }
  | { readonly kind: "tuple"; readonly items: readonly TypeSpec[] }
  | { readonly kind: "object"; readonly attributes: ReadonlyMap<string, { readonly type: TypeSpec; readonly optional: boolean; readonly fallback?: Expression }> };

/** A value from one source, before conversion: already a Value (tfvars) or text (-var, TF_VAR_). */
export interface AssignedValue {
  readonly name: string;
  readonly given: { readonly value: Value } | { readonly text: string };
  /** "--var", "TF_VAR_repos", "terraform.tfvars": for messages. */
  readonly source: string;
}

/** The type constraint as written: `"${map(string)}"` (from HCL) or `"map(string)"` (Terraform JSON). */
export function parseTypeConstraint(raw: unknown): TypeSpec {
  if (raw === undefined || raw === null) return { kind: "any" };
  if (typeof raw !== "string") throw new EvaluationError("the type must be a type constraint such as string or map(string)");
  const text = /^\$\{([\s\S]*)\}$/.exec(raw.trim())?.[1] ?? raw;
  return typeFrom(parseExpression(text));
}

function typeFrom(expression: Expression): TypeSpec {
  if (expression.kind === "name") {
    if (["any", "string", "number", "bool"].includes(expression.name)) return { kind: expression.name as "any" | "string" | "number" | "bool" };
    if (expression.name === "list" || expression.name === "map" || expression.name === "set") return { kind: expression.name, element: { kind: "any" } };
  }
  if (expression.kind === "call") {
    const [first] = expression.args;
    if ((expression.name === "list" || expression.name === "set" || expression.name === "map") && first) {
      return { kind: expression.name, element: typeFrom(first) };
    }
    if (expression.name === "tuple" && first?.kind === "tuple") return { kind: "tuple", items: first.items.map(typeFrom) };
    if (expression.name === "object" && first?.kind === "object") {
      const attributes = new Map<string, { type: TypeSpec; optional: boolean; fallback?: Expression }>();
      for (const item of first.items) {
        if (item.key.kind !== "literal" || typeof item.key.value !== "string") throw new EvaluationError("object() attribute names must be plain names");
        const value = item.value;
        if (value.kind === "call" && value.name === "optional" && value.args[0]) {
          attributes.set(item.key.value, { type: typeFrom(value.args[0]), optional: true, fallback: value.args[1] });
        } else attributes.set(item.key.value, { type: typeFrom(value), optional: false });
      }
      return { kind: "object", attributes };
    }
  }
  throw new EvaluationError("the type is not a type constraint this reader knows (string, number, bool, any, list(…), set(…), map(…), object({…}), tuple([…]))");
}

/** How a -var or TF_VAR_ text becomes a value: literally for string (and untyped), parsed otherwise. */
export function valueFromText(text: string, type: TypeSpec, evaluateConstant: (expression: Expression) => Value): Value {
  if (type.kind === "string" || type.kind === "any") return text;
  return evaluateConstant(parseExpression(text));
}

/** Terraform's conversion of a value to a type constraint; `what` names the place for messages. */
export function convert(value: Value, type: TypeSpec, what: string, evaluateConstant: (expression: Expression) => Value, depth = 0): Value {
  if (depth > 64) throw new EvaluationError(`${what} nests too deeply`);
  if (value === null || value instanceof Unknown) return value;
  switch (type.kind) {
    case "any":
      return value;
    case "string":
      if (typeof value === "object") throw new EvaluationError(`${what} must be a string, got a ${typeName(value)}`);
      return typeof value === "number" ? numberText(value) : toText(value, what);
    case "number":
      return toNumber(value, what);
    case "bool":
      return toBool(value, what);
    case "list":
    case "set": {
      if (!Array.isArray(value)) throw new EvaluationError(`${what} must be a ${type.kind}, got a ${typeName(value)}`);
      const items = value.map((item, index) => convert(item, type.element, `${what}[${index}]`, evaluateConstant, depth + 1));
      return type.kind === "set" ? toSet(items) : items;
    }
    case "tuple": {
      if (!Array.isArray(value) || value.length !== type.items.length) throw new EvaluationError(`${what} must be a tuple of ${type.items.length} elements`);
      return value.map((item, index) => convert(item, type.items[index]!, `${what}[${index}]`, evaluateConstant, depth + 1));
    }
    case "map": {
      if (!isMap(value)) throw new EvaluationError(`${what} must be a map, got a ${typeName(value)}`);
      return makeMap(sortedKeys(value).map((key) => [key, convert(value[key]!, type.element, `${what}["${key}"]`, evaluateConstant, depth + 1)]));
    }
    case "object": {
      if (!isMap(value)) throw new EvaluationError(`${what} must be an object, got a ${typeName(value)}`);
      const entries: [string, Value][] = [];
      for (const [name, attribute] of type.attributes) {
        const where = `${what}.${name}`;
        if (hasOwn(value, name) && value[name] !== null) entries.push([name, convert(value[name]!, attribute.type, where, evaluateConstant, depth + 1)]);
        else if (attribute.optional) {
          const fallback = attribute.fallback ? convert(evaluateConstant(attribute.fallback), attribute.type, where, evaluateConstant, depth + 1) : null;
          entries.push([name, fallback]);
        } else throw new EvaluationError(`${what} has no attribute "${name}", which its type requires`);
      }
      // Attributes the type does not name are dropped, as Terraform's conversion does.
      return makeMap(entries);
    }
  }
}

/** Terraform evaluates tfvars (HCL) values as expressions with no variables: a template-string tree here. */
export function tfvarsValue(raw: unknown, evaluateConstant: (expression: Expression) => Value, depth = 0): Value {
  if (depth > 64) throw new EvaluationError("the value nests too deeply");
  if (typeof raw === "string") return evaluateConstant(parseTemplate(raw));
  if (Array.isArray(raw)) return raw.map((item) => tfvarsValue(item, evaluateConstant, depth + 1));
  if (typeof raw === "object" && raw !== null) return makeMap(Object.entries(raw).map(([key, item]) => [key, tfvarsValue(item, evaluateConstant, depth + 1)]));
  return (raw ?? null) as Value;
}

/** A .tfvars.json value: plain JSON, no templates. */
export function jsonValue(raw: unknown, depth = 0): Value {
  if (depth > 64) throw new EvaluationError("the value nests too deeply");
  if (Array.isArray(raw)) return raw.map((item) => jsonValue(item, depth + 1));
  if (typeof raw === "object" && raw !== null) return makeMap(Object.entries(raw).map(([key, item]) => [key, jsonValue(item, depth + 1)]));
  return (raw ?? null) as Value;
}

/** TF_VAR_name environment variables, in the order Terraform applies them (first of all sources). */
export function environmentAssignments(environment: Readonly<Record<string, string | undefined>>): AssignedValue[] {
  return Object.keys(environment)
    .filter((key) => key.startsWith("TF_VAR_") && key.length > "TF_VAR_".length && environment[key] !== undefined)
    .sort()
    .map((key) => ({ name: key.slice("TF_VAR_".length), given: { text: environment[key]! }, source: key }));
}
