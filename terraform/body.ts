// A block body as JSON (from a .tf.json file or from HCL) evaluated into values: every string is
// a template, `dynamic "NAME"` blocks expand into NAME blocks (with their iterator in scope),
// and an attribute set to null is left out, as Terraform treats null as "not set". A problem in
// one attribute is reported and that attribute becomes Unknown, so the others are still read.
import { parseTemplate, ExpressionSyntaxError } from "./expression/parse.ts";
import { evaluate, iterate, type Scope } from "./expression/evaluate.ts";
import type { Expression } from "./expression/syntax.ts";
import { EvaluationError, Unknown, makeMap, toText, type Value, type ValueMap } from "./expression/values.ts";
import { bodiesOf, type RawBody } from "./configuration.ts";

/** Why an attribute is Unknown after its own problem was reported: nothing more is said about it. */
export const reportedReason = "not evaluated because of a problem reported above";

const parsed = new Map<string, Expression | ExpressionSyntaxError>();

/** A JSON string as a template expression, parsed once per distinct string. */
export function templateOf(text: string): Expression {
  let found = parsed.get(text);
  if (found === undefined) {
    try {
      found = parseTemplate(text);
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      found = error;
    }
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(text, found);
  }
  if (found instanceof ExpressionSyntaxError) throw found;
  return found;
}

export interface BodyContext {
  readonly scope: Scope;
  /** Names in scope: dynamic iterators. */
  readonly names: ValueMap;
  /** Called once per attribute that cannot be evaluated: its path ("tune", "dynamic \"rule\"") and message. */
  readonly report: (attribute: string, message: string) => void;
}

/** Evaluates a raw JSON value (strings are templates) with the context's names in scope. */
export function evaluateRaw(raw: unknown, context: BodyContext, depth = 0): Value {
  if (depth > 100) throw new EvaluationError("the value nests too deeply");
  if (typeof raw === "string") return evaluate(templateOf(raw), context.scope, context.names);
  if (Array.isArray(raw)) return raw.map((item) => evaluateRaw(item, context, depth + 1));
  if (typeof raw === "object" && raw !== null) {
    return makeMap(Object.entries(raw).filter(([key]) => key !== "//").map(([key, item]) => [objectKey(key, context), evaluateRaw(item, context, depth + 1)]));
  }
  return (raw ?? null) as Value;
}

/** A key written as an expression (`(var.k) = …`, `"${var.k}" = …`) is evaluated, as Terraform does. */
function objectKey(key: string, context: BodyContext): string {
  if (!key.includes("${")) return key;
  const value = evaluate(templateOf(key), context.scope, context.names);
  if (value instanceof Unknown) throw new EvaluationError(`an object key depends on ${value.origin}, which is ${value.reason}`);
  return toText(value, "an object key");
}

/** One-line message of an evaluation or syntax error; other errors are bugs and propagate. */
export function problemMessage(error: unknown): string | undefined {
  if (error instanceof EvaluationError) return error.message;
  if (error instanceof ExpressionSyntaxError) return `syntax error in the expression: ${error.message}`;
  return undefined;
}

/**
 * The attributes and nested blocks of a body, evaluated; `skip` names the meta-arguments the
 * caller reads itself (count, for_each, depends_on, …).
 */
export function evaluateBody(body: RawBody, context: BodyContext, skip: ReadonlySet<string>, path = ""): ValueMap {
  const entries: [string, Value][] = [];
  const dynamicBlocks = new Map<string, Value[]>();
  for (const [key, raw] of Object.entries(body)) {
    if (skip.has(key) || key === "//") continue;
    const where = path === "" ? key : `${path}.${key}`;
    if (key === "dynamic") {
      for (const [name, blocks] of expandDynamic(raw, context, path)) dynamicBlocks.set(name, [...(dynamicBlocks.get(name) ?? []), ...blocks]);
      continue;
    }
    try {
      const value = isBlockList(raw) ? bodiesOf(raw).map((inner) => evaluateBody(inner, context, noSkip, where)) : evaluateRaw(raw, context);
      if (value !== null) entries.push([key, value]);
    } catch (error) {
      const message = problemMessage(error);
      if (message === undefined) throw error;
      context.report(where, message);
      entries.push([key, new Unknown(where, reportedReason)]);
    }
  }
  for (const [name, blocks] of dynamicBlocks) {
    const index = entries.findIndex(([key]) => key === name);
    if (index < 0) entries.push([name, blocks]);
    else {
      const existing = entries[index]![1];
      entries[index] = [name, [...(Array.isArray(existing) ? existing : [existing]), ...blocks]];
    }
  }
  return makeMap(entries);
}

const noSkip: ReadonlySet<string> = new Set();

/** A list of objects is a nested block written as HCL writes it (each may hold dynamic blocks). */
function isBlockList(raw: unknown): boolean {
  return Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === "object" && item !== null && !Array.isArray(item));
}

/** `dynamic "NAME" { for_each, iterator, content {…} }` → NAME → the content blocks, one per element. */
function expandDynamic(raw: unknown, context: BodyContext, path: string): [string, Value[]][] {
  const out: [string, Value[]][] = [];
  for (const section of bodiesOf(raw)) {
    for (const [name, specs] of Object.entries(section)) {
      const where = `${path === "" ? "" : `${path}.`}dynamic "${name}"`;
      for (const spec of bodiesOf(specs)) {
        try {
          out.push([name, expandOneDynamic(name, spec, context, where)]);
        } catch (error) {
          const message = problemMessage(error);
          if (message === undefined) throw error;
          context.report(where, message);
        }
      }
    }
  }
  return out;
}

function expandOneDynamic(name: string, spec: RawBody, context: BodyContext, where: string): Value[] {
  const iterator = spec.iterator === undefined ? name : iteratorName(spec.iterator);
  if (spec.for_each === undefined) throw new EvaluationError("a dynamic block needs for_each");
  const collection = evaluateRaw(spec.for_each, context);
  if (collection instanceof Unknown) throw new EvaluationError(`for_each depends on ${collection.origin}, which is ${collection.reason}; a dynamic block needs values known before apply`);
  const contents = bodiesOf(spec.content);
  if (contents.length !== 1) throw new EvaluationError("a dynamic block needs exactly one content block");
  const blocks: Value[] = [];
  for (const [key, value] of iterate(collection, "the for_each of a dynamic block")) {
    const names = makeMap([...Object.entries(context.names), [iterator, makeMap([["key", key], ["value", value]])]]);
    const inner: BodyContext = { ...context, names, report: (attribute, message) => context.report(`${where}.${attribute}`, message) };
    blocks.push(evaluateBody(contents[0]!, inner, noSkip));
  }
  return blocks;
}

function iteratorName(raw: unknown): string {
  const text = typeof raw === "string" ? raw.replace(/^\$\{([\s\S]*)\}$/, "$1").trim() : "";
  if (!/^[A-Za-z_][\w-]*$/.test(text)) throw new EvaluationError("iterator must be a plain name");
  return text;
}
