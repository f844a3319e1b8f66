// One instance of a module (the root, or a module call's instance for one count index or
// for_each key) and the scope its expressions are evaluated in: its variables (the caller's
// arguments, a tfvars value or the default, converted to the declared type), its locals
// (evaluated when first read, kept once fully known), the states of its resources as the
// walk records them, and its child module instances with their outputs.
import type { Scope } from "./expression/evaluate.ts";
import { EvaluationError, Unknown, findUnknown, isMap, makeMap, toNumber, toSet, typeName, type Value, type ValueMap } from "./expression/values.ts";
import { evaluateRaw, reportedReason } from "./body.ts";
import type { ModuleCall, ModuleConfig, ResourceBlock } from "./configuration.ts";
import type { FunctionCaller } from "./functions/index.ts";
import { constantEvaluator } from "./constant.ts";
import { convert, parseTypeConstraint, tfvarsValue, valueFromText, type TypeSpec } from "./variables.ts";

export type InstanceKey = string | number | undefined;

/** each.key/each.value for for_each, count.index for count. */
export interface Repetition {
  readonly each?: { readonly key: Value; readonly value: Value };
  readonly index?: number;
}

export interface ResourceRecord {
  readonly mode: "single" | "count" | "for_each";
  /** States by instance key (undefined for a single instance), in expansion order. */
  readonly states: Map<InstanceKey, ValueMap>;
  /** Set when the resource could not be expanded: references to it read Unknown. */
  readonly failed?: boolean;
}

export interface ModuleEnvironment {
  readonly callFunction: FunctionCaller;
  /** path.root and path.cwd. */
  readonly rootDir: string;
  /** path.module for a module directory. */
  modulePath(dir: string): string;
}

export class ModuleInstance {
  readonly resources = new Map<string, ResourceRecord>();
  private readonly localValues = new Map<string, Value>();
  private readonly evaluatingLocals = new Set<string>();
  private readonly variableValues = new Map<string, Value>();
  private readonly childInstances = new Map<string, { mode: "single" | "count" | "for_each"; instances: ModuleInstance[] }>();

  constructor(
    readonly config: ModuleConfig,
    /** `module.ci["a"].` (empty for the root): instance addresses start with it. */
    readonly prefix: string,
    readonly environment: ModuleEnvironment,
    /** How this instance's variables get their values (the caller's arguments, or root inputs). */
    private readonly inputs: (name: string) => Value | undefined,
    readonly key: InstanceKey = undefined,
  ) {}

  /** The scope of an expression in this module, with each/count of a repeated block. */
  scope(repetition: Repetition = {}): Scope {
    return {
      variable: (name) => this.variable(name),
      local: (name) => this.local(name),
      module: (name) => this.moduleValue(name),
      resource: (kind, type, name) => this.resourceValue(kind, type, name),
      special: (root) => this.special(root, repetition),
      callFunction: this.environment.callFunction,
    };
  }

  private special(root: "each" | "count" | "path" | "terraform" | "self", repetition: Repetition): Value | undefined {
    if (root === "each") return repetition.each ? makeMap([["key", repetition.each.key], ["value", repetition.each.value]]) : undefined;
    if (root === "count") return repetition.index === undefined ? undefined : makeMap([["index", repetition.index]]);
    if (root === "path") {
      return makeMap([["module", this.environment.modulePath(this.config.dir)], ["root", "."], ["cwd", this.environment.rootDir]]);
    }
    if (root === "terraform") return makeMap([["workspace", "default"]]);
    return undefined;
  }

  variable(name: string): Value | undefined {
    if (this.variableValues.has(name)) return this.variableValues.get(name);
    if (!this.config.variables.has(name)) return undefined;
    const value = this.inputs(name);
    if (value === undefined) throw new EvaluationError(`var.${name} has no value; ${this.prefix === "" ? `pass --var ${name}=VALUE, a tfvars file, or TF_VAR_${name}` : "set it in the module block"}`);
    if (findUnknown(value) === undefined) this.variableValues.set(name, value);
    return value;
  }

  local(name: string): Value | undefined {
    if (this.localValues.has(name)) return this.localValues.get(name);
    const local = this.config.locals.get(name);
    if (!local) return undefined;
    if (this.evaluatingLocals.has(name)) throw new EvaluationError(`local.${name} refers to itself; break the cycle`);
    this.evaluatingLocals.add(name);
    try {
      const value = evaluateRaw(local.value, { scope: this.scope(), names: {}, report: () => undefined });
      if (findUnknown(value) === undefined) this.localValues.set(name, value);
      return value;
    } catch (error) {
      if (error instanceof EvaluationError) throw new EvaluationError(`local.${name}: ${error.message}`);
      throw error;
    } finally {
      this.evaluatingLocals.delete(name);
    }
  }

  resourceBlock(kind: "resource" | "data", type: string, name: string): ResourceBlock | undefined {
    return this.config.resources.find((block) => block.kind === kind && block.type === type && block.name === name);
  }

  private resourceValue(kind: "resource" | "data", type: string, name: string): Value | undefined {
    if (!this.resourceBlock(kind, type, name)) return undefined;
    const address = `${this.prefix}${kind === "data" ? "data." : ""}${type}.${name}`;
    const record = this.resources.get(`${kind}.${type}.${name}`);
    if (!record) return new Unknown(address, "not read yet");
    if (record.failed) return new Unknown(address, reportedReason);
    if (record.mode === "single") return record.states.get(undefined) ?? new Unknown(address, reportedReason);
    if (record.mode === "count") return [...record.states.values()];
    return makeMap([...record.states].map(([key, state]) => [String(key), state]));
  }

  /** The instances of a module call, expanded once (its count/for_each evaluated in this scope). */
  children(call: ModuleCall): { mode: "single" | "count" | "for_each"; instances: ModuleInstance[] } {
    const found = this.childInstances.get(call.name);
    if (found) return found;
    const config = this.config.children.get(call.name);
    if (!config) return { mode: "single", instances: [] };
    const expansion = expand(call.body, this.scope(), `module.${call.name}`);
    const instances = expansion.repetitions.map(({ key, repetition }) => {
      const prefix = `${this.prefix}module.${call.name}${keySuffix(key)}.`;
      return new ModuleInstance(config, prefix, this.environment, (name) => this.callArgument(call, config, name, repetition), key);
    });
    const result = { mode: expansion.mode, instances };
    this.childInstances.set(call.name, result);
    return result;
  }

  private callArgument(call: ModuleCall, child: ModuleConfig, name: string, repetition: Repetition): Value | undefined {
    const declared = child.variables.get(name)!;
    const raw = call.body[name];
    const given = raw === undefined ? undefined : { value: evaluateRaw(raw, { scope: this.scope(repetition), names: {}, report: () => undefined }) };
    return variableValue(declared.body, given, `var.${name}`);
  }

  private moduleValue(name: string): Value | undefined {
    const call = this.config.moduleCalls.find((candidate) => candidate.name === name);
    if (!call) return undefined;
    const { mode, instances } = this.children(call);
    if (!this.config.children.has(name)) return new Unknown(`module.${name}`, reportedReason);
    const outputs = instances.map((instance) => instance.outputValues());
    if (mode === "single") return outputs[0] ?? new Unknown(`module.${name}`, reportedReason);
    if (mode === "count") return outputs;
    return makeMap(instances.map((instance, index) => [String(instance.key), outputs[index]!]));
  }

  outputValues(): ValueMap {
    return makeMap(this.config.outputs.map((output) => {
      try {
        return [output.name, evaluateRaw(output.body.value, { scope: this.scope(), names: {}, report: () => undefined })];
      } catch (error) {
        if (error instanceof EvaluationError) throw new EvaluationError(`${this.prefix}output "${output.name}": ${error.message}`);
        throw error;
      }
    }));
  }
}

export function keySuffix(key: InstanceKey): string {
  return key === undefined ? "" : typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** The instances count or for_each makes of a block, as Terraform expands them. */
export function expand(body: Readonly<Record<string, unknown>>, scope: Scope, what: string): { mode: "single" | "count" | "for_each"; repetitions: { key: InstanceKey; repetition: Repetition }[] } {
  if (body.count !== undefined && body.for_each !== undefined) throw new EvaluationError(`${what} sets both count and for_each; keep one`);
  const context = { scope, names: {}, report: () => undefined };
  if (body.count !== undefined) {
    const value = evaluateRaw(body.count, context);
    if (value instanceof Unknown) throw new EvaluationError(`count depends on ${value.origin}, which is ${value.reason}; Terraform needs count known before apply`);
    const count = toNumber(value, "count");
    if (!Number.isInteger(count) || count < 0) throw new EvaluationError("count must be a whole number, 0 or more");
    if (count > 10_000) throw new EvaluationError("count is above 10000; keybridge reads at most that many instances of one block");
    return { mode: "count", repetitions: Array.from({ length: count }, (_, index) => ({ key: index, repetition: { index } })) };
  }
  if (body.for_each !== undefined) {
    const value = evaluateRaw(body.for_each, context);
    const unknown = value instanceof Unknown ? value : Array.isArray(value) ? findUnknown(value) : undefined;
    if (unknown) throw new EvaluationError(`for_each depends on ${unknown.origin}, which is ${unknown.reason}; Terraform needs the keys of for_each known before apply`);
    if (isMap(value)) {
      return { mode: "for_each", repetitions: Object.keys(value).sort().map((key) => ({ key, repetition: { each: { key, value: value[key]! } } })) };
    }
    if (Array.isArray(value)) {
      const keys = toSet(value).map((item) => {
        if (typeof item !== "string") throw new EvaluationError(`for_each must be a map or a set of strings; this set holds a ${typeName(item)}`);
        return item;
      });
      return { mode: "for_each", repetitions: keys.map((key) => ({ key, repetition: { each: { key, value: key } } })) };
    }
    if (value === null) throw new EvaluationError("for_each is null; give it a map or a set of strings (toset([...]))");
    throw new EvaluationError(`for_each must be a map or a set of strings, got a ${typeName(value)}`);
  }
  return { mode: "single", repetitions: [{ key: undefined, repetition: {} }] };
}

const evaluateConstant = constantEvaluator();

/** A value as given: evaluated (a module argument, a tfvars value) or as text (-var, TF_VAR_). */
export type GivenValue = { readonly value: Value } | { readonly text: string };

/** A variable's value from what was given (or its default), converted to its type; undefined when it has none. */
export function variableValue(body: Readonly<Record<string, unknown>>, given: GivenValue | undefined, what: string): Value | undefined {
  const type: TypeSpec = parseTypeConstraint(body.type);
  let value = given === undefined ? undefined : "text" in given ? valueFromText(given.text, type, evaluateConstant) : given.value;
  const nullable = body.nullable !== false && body.nullable !== "false";
  if (value === undefined || (value === null && !nullable)) {
    if (!("default" in body)) return undefined;
    value = tfvarsValue(body.default, evaluateConstant);
  }
  return convert(value, type, what, evaluateConstant);
}
