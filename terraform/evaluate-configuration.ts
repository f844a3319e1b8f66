// The pure heart of the reader: a loaded configuration turned into resource instances with their
// addresses and evaluated attributes, in an order where everything an instance refers to (or
// names in depends_on, through locals, variables and modules alike) comes first, and its outputs.
// The caller's visitor answers each instance's state (what references to it then read): the dev
// backend applies it and answers what the backend made; a plan answers what is known before
// apply. Problems are collected, one line each, so a run shows them all.
import { EvaluationError, Unknown, findUnknown, toBool, type Value, type ValueMap } from "./expression/values.ts";
import { evaluateBody, evaluateRaw, problemMessage, reportedReason } from "./body.ts";
import type { ModuleCall, ModuleConfig, RawBody, ResourceBlock } from "./configuration.ts";
import { functionCaller } from "./functions/index.ts";
import type { LoadedConfiguration } from "./load.ts";
import { ModuleInstance, expand, keySuffix, variableValue, type GivenValue, type InstanceKey, type ModuleEnvironment } from "./module-instance.ts";
import { orderNodes } from "./order.ts";
import { blockName, checkDependsOn, staticNodes } from "./graph.ts";
import type { Problem } from "./problems.ts";
import { relative } from "node:path";

export interface ResourceInstance {
  /** `module.ci["a"].vault_policy.p["prod"]`. */
  readonly address: string;
  /** The block's address without this instance's key: `module.ci["a"].vault_policy.p`. */
  readonly blockAddress: string;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  readonly key: InstanceKey;
  readonly file: string;
  readonly line?: number;
  /** Attributes and nested blocks, evaluated; Unknown where only an apply can know. */
  readonly body: ValueMap;
  /** Meta-arguments as written: provider ("vault.eu"), provisioner/connection presence. */
  readonly provider?: string;
  readonly provisioners: boolean;
}

export interface InstanceVisitor {
  /** The instance's state after it is applied (or planned): what references to it read. */
  visit(instance: ResourceInstance): Promise<ValueMap>;
}

export interface OutputValue {
  readonly name: string;
  readonly value: Value;
  readonly sensitive: boolean;
  readonly file: string;
  readonly line?: number;
}

export interface EvaluationResult {
  readonly instances: readonly ResourceInstance[];
  readonly outputs: readonly OutputValue[];
  readonly problems: readonly Problem[];
  /** Things Terraform warns about (a tfvars value for an undeclared variable). */
  readonly warnings: readonly Problem[];
}

const resourceMeta = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"]);
const moduleMeta = new Set(["source", "version", "count", "for_each", "depends_on", "providers"]);

export async function evaluateConfiguration(configuration: LoadedConfiguration, visitor: InstanceVisitor): Promise<EvaluationResult> {
  const problems: Problem[] = [...configuration.problems];
  const warnings: Problem[] = [];
  const environment: ModuleEnvironment = {
    callFunction: functionCaller(configuration.files),
    rootDir: configuration.rootDir,
    modulePath: (dir) => relative(configuration.rootDir, dir) || ".",
  };
  const rootInputs = rootVariableInputs(configuration, problems, warnings);
  const root = new ModuleInstance(configuration.root, "", environment, rootInputs);
  checkRootVariables(root, problems);
  checkModuleCalls(configuration.root, [], problems);
  checkDependsOn(configuration.root, [], problems);

  const nodes = staticNodes(configuration.root, []);
  const ordering = orderNodes(nodes);
  if ("cycle" in ordering) {
    problems.push({ file: configuration.label, message: `dependency cycle: ${ordering.cycle.join(" → ")}; remove one of these references or depends_on entries` });
    return { instances: [], outputs: [], problems, warnings };
  }
  const byAddress = new Map(nodes.map((node) => [node.address, node]));
  const instances: ResourceInstance[] = [];
  const failedCalls = new Set<ModuleCall>();
  for (const address of ordering.order) {
    const node = byAddress.get(address)!;
    if (!node.resource) continue;
    for (const module of moduleInstancesAt(root, node.modulePath, problems, failedCalls)) {
      for (const instance of expandResource(module, node.resource, problems)) {
        instances.push(instance);
        const state = await visitor.visit(instance);
        module.resources.get(recordKey(node.resource))!.states.set(instance.key, state);
      }
    }
  }
  return { instances, outputs: rootOutputs(root, problems), problems, warnings };
}

function recordKey(block: ResourceBlock): string {
  return `${block.kind}.${block.type}.${block.name}`;
}

/** Root variables from the assignments (a later one wins), reporting what Terraform reports. */
function rootVariableInputs(configuration: LoadedConfiguration, problems: Problem[], warnings: Problem[]): (name: string) => Value | undefined {
  const latest = new Map<string, { given: GivenValue; source: string }>();
  for (const assignment of configuration.assignments) {
    if (configuration.root.variables.has(assignment.name)) latest.set(assignment.name, assignment);
    else if (assignment.source.startsWith("--var")) {
      problems.push({ file: configuration.label, message: `${assignment.source}: there is no variable "${assignment.name}" in the root module; declare it or fix the name` });
    } else if (!assignment.source.startsWith("TF_VAR_")) {
      warnings.push({ file: assignment.source, attribute: assignment.name, message: "a value for a variable the root module does not declare; it is ignored" });
    }
  }
  return (name) => {
    const variable = configuration.root.variables.get(name)!;
    const assigned = latest.get(name);
    try {
      return variableValue(variable.body, assigned?.given, `var.${name}`);
    } catch (error) {
      if (error instanceof EvaluationError && assigned) throw new EvaluationError(`${error.message} (value from ${assigned.source})`);
      throw error;
    }
  };
}

/** Every root variable has a value of its type, and passes its validation blocks. */
function checkRootVariables(root: ModuleInstance, problems: Problem[]): void {
  for (const variable of root.config.variables.values()) {
    const where = { file: variable.file, line: variable.line, address: `var.${variable.name}` };
    try {
      root.variable(variable.name);
    } catch (error) {
      const message = problemMessage(error);
      if (message === undefined) throw error;
      problems.push({ ...where, message: message.startsWith(`var.${variable.name} `) ? message.slice(`var.${variable.name} `.length) : message });
      continue;
    }
    const validations = Array.isArray(variable.body.validation) ? variable.body.validation : variable.body.validation ? [variable.body.validation] : [];
    for (const validation of validations as RawBody[]) {
      try {
        const holds = evaluateRaw(validation.condition, { scope: root.scope(), names: {}, report: () => undefined });
        if (holds instanceof Unknown || toBool(holds, "the validation condition")) continue;
        const said = typeof validation.error_message === "string" ? validation.error_message : "the value is not valid";
        problems.push({ ...where, message: `validation failed: ${said}` });
      } catch (error) {
        const message = problemMessage(error);
        if (message === undefined) throw error;
        problems.push({ ...where, attribute: "validation", message });
      }
    }
  }
}

/** Arguments a module does not declare, and required variables nobody sets. */
function checkModuleCalls(module: ModuleConfig, path: readonly string[], problems: Problem[]): void {
  const prefix = path.map((name) => `module.${name}.`).join("");
  for (const call of module.moduleCalls) {
    const child = module.children.get(call.name);
    if (!child) continue;
    const where = { file: call.file, line: call.line, address: `${prefix}module.${call.name}` };
    for (const key of Object.keys(call.body)) {
      if (moduleMeta.has(key) || key === "//" || child.variables.has(key)) continue;
      problems.push({ ...where, attribute: key, message: `the module has no variable "${key}"; declare it in the module or remove the argument` });
    }
    for (const variable of child.variables.values()) {
      if (!(variable.name in call.body) && !("default" in variable.body)) {
        problems.push({ ...where, message: `the module's variable "${variable.name}" is required; set ${variable.name} in the module block` });
      }
    }
    checkModuleCalls(child, [...path, call.name], problems);
  }
}

/** The module instances at a static module path, expanding module calls (their count/for_each) on the way. */
function moduleInstancesAt(root: ModuleInstance, path: readonly string[], problems: Problem[], failedCalls: Set<ModuleCall>): ModuleInstance[] {
  let current = [root];
  for (const name of path) {
    const next: ModuleInstance[] = [];
    for (const module of current) {
      const call = module.config.moduleCalls.find((candidate) => candidate.name === name)!;
      try {
        next.push(...module.children(call).instances);
      } catch (error) {
        const message = problemMessage(error);
        if (message === undefined) throw error;
        if (!failedCalls.has(call)) problems.push({ file: call.file, line: call.line, address: `${module.prefix}module.${name}`, message });
        failedCalls.add(call);
      }
    }
    current = next;
  }
  return current;
}

function expandResource(module: ModuleInstance, block: ResourceBlock, problems: Problem[]): ResourceInstance[] {
  const blockAddress = `${module.prefix}${blockName(block)}`;
  const where = { file: block.file, line: block.line, address: blockAddress };
  let expansion: ReturnType<typeof expand>;
  try {
    expansion = expand(block.body, module.scope(), blockAddress);
  } catch (error) {
    const message = problemMessage(error);
    if (message === undefined) throw error;
    problems.push({ ...where, attribute: block.body.count !== undefined ? "count" : "for_each", message });
    module.resources.set(recordKey(block), { mode: "single", states: new Map(), failed: true });
    return [];
  }
  module.resources.set(recordKey(block), { mode: expansion.mode, states: new Map() });
  return expansion.repetitions.map(({ key, repetition }) => {
    const address = `${blockAddress}${keySuffix(key)}`;
    const report = (attribute: string, message: string) => problems.push({ ...where, address, attribute, message });
    const body = evaluateBody(block.body, { scope: module.scope(repetition), names: {}, report }, resourceMeta);
    const provider = typeof block.body.provider === "string" ? block.body.provider.replace(/^\$\{([\s\S]*)\}$/, "$1").trim() : undefined;
    return {
      address,
      blockAddress,
      kind: block.kind,
      type: block.type,
      name: block.name,
      key,
      file: block.file,
      line: block.line,
      body,
      provider,
      provisioners: block.body.provisioner !== undefined || block.body.connection !== undefined,
    };
  });
}

function rootOutputs(root: ModuleInstance, problems: Problem[]): OutputValue[] {
  const outputs: OutputValue[] = [];
  for (const output of root.config.outputs) {
    const where = { file: output.file, line: output.line, address: `output "${output.name}"` };
    const sensitive = output.body.sensitive === true || output.body.sensitive === "true";
    if (!("value" in output.body)) {
      problems.push({ ...where, message: "has no value; add value" });
      continue;
    }
    try {
      outputs.push({ name: output.name, value: evaluateRaw(output.body.value, { scope: root.scope(), names: {}, report: () => undefined }), sensitive, file: output.file, line: output.line });
    } catch (error) {
      const message = problemMessage(error);
      if (message === undefined) throw error;
      problems.push({ ...where, attribute: "value", message });
    }
  }
  return outputs;
}

/** True when an Unknown is the echo of a problem already reported (nothing more to say about it). */
export function isReported(value: Value): boolean {
  const unknown = findUnknown(value);
  return unknown !== undefined && unknown.reason === reportedReason;
}
