// The static dependency graph of a configuration: every block of every module (resources, data
// sources, locals, variables, outputs, module calls) as a node with the nodes it needs, found from
// the references in its expressions (through locals, variables and module outputs alike) and its
// depends_on. Instances are walked in this graph's order; a cycle is refused.
import { findReferences, type Reference } from "./expression/references.ts";
import { templateOf } from "./body.ts";
import type { ModuleConfig, ResourceBlock } from "./configuration.ts";
import type { GraphNode } from "./order.ts";
import type { Problem } from "./problems.ts";

/** A static node: a block of a module, by its module path (call names) and its name in the module. */
export interface StaticNode extends GraphNode {
  readonly modulePath: readonly string[];
  readonly resource?: ResourceBlock;
}

export function blockName(block: ResourceBlock): string {
  return `${block.kind === "data" ? "data." : ""}${block.type}.${block.name}`;
}

/** Every block of every module as a node, with what it needs; data sources first, as files list them. */
export function staticNodes(module: ModuleConfig, path: readonly string[]): StaticNode[] {
  const prefix = path.map((name) => `module.${name}.`).join("");
  const nodes: StaticNode[] = [];
  const callNeeds = path.length === 0 ? [] : [`${path.slice(0, -1).map((name) => `module.${name}.`).join("")}module.${path.at(-1)}`];
  const resolve = (references: readonly Reference[]) => references.flatMap((reference) => referenceNodes(module, prefix, reference));
  const ordered = [...module.resources.filter((block) => block.kind === "data"), ...module.resources.filter((block) => block.kind === "resource")];
  for (const block of ordered) {
    const needs = [...callNeeds, ...resolve(referencesIn(block.body, new Set(["depends_on", "provider", "lifecycle"]))), ...dependsOn(module, prefix, block.body.depends_on)];
    nodes.push({ address: `${prefix}${blockName(block)}`, needs, modulePath: path, resource: block });
  }
  for (const local of module.locals.values()) nodes.push({ address: `${prefix}local.${local.name}`, needs: resolve(referencesIn(local.value)), modulePath: path });
  for (const variable of module.variables.values()) {
    nodes.push({ address: `${prefix}var.${variable.name}`, needs: [...callNeeds], modulePath: path });
  }
  for (const output of module.outputs) {
    nodes.push({ address: `${prefix}output.${output.name}`, needs: [...resolve(referencesIn(output.body.value)), ...dependsOn(module, prefix, output.body.depends_on)], modulePath: path });
  }
  for (const call of module.moduleCalls) {
    const child = module.children.get(call.name);
    const callAddress = `${prefix}module.${call.name}`;
    const meta = { count: call.body.count, for_each: call.body.for_each };
    nodes.push({ address: callAddress, needs: [...callNeeds, ...resolve(referencesIn(meta)), ...dependsOn(module, prefix, call.body.depends_on)], modulePath: path });
    if (!child) continue;
    const childPrefix = `${callAddress}.`;
    // A child's variable needs what the argument the caller sets for it refers to.
    const childNodes = staticNodes(child, [...path, call.name]).map((node) => {
      const name = node.address.startsWith(`${childPrefix}var.`) ? node.address.slice(`${childPrefix}var.`.length) : undefined;
      return name !== undefined && call.body[name] !== undefined ? { ...node, needs: [...node.needs, ...resolve(referencesIn(call.body[name]))] } : node;
    });
    nodes.push(...childNodes);
  }
  return nodes;
}

/** References in every string of a raw body (strings that do not parse are reported when evaluated). */
function referencesIn(raw: unknown, skip: ReadonlySet<string> = new Set(), depth = 0): Reference[] {
  if (depth > 100) return [];
  if (typeof raw === "string") {
    try {
      return findReferences(templateOf(raw));
    } catch {
      return [];
    }
  }
  if (Array.isArray(raw)) return raw.flatMap((item) => referencesIn(item, new Set(), depth + 1));
  if (typeof raw === "object" && raw !== null) {
    return Object.entries(raw).filter(([key]) => !skip.has(key)).flatMap(([, item]) => referencesIn(item, new Set(), depth + 1));
  }
  return [];
}

function referenceNodes(module: ModuleConfig, prefix: string, reference: Reference): string[] {
  switch (reference.kind) {
    case "var":
      return module.variables.has(reference.name) ? [`${prefix}var.${reference.name}`] : [];
    case "local":
      return module.locals.has(reference.name) ? [`${prefix}local.${reference.name}`] : [];
    case "module": {
      const child = module.children.get(reference.name);
      if (!module.moduleCalls.some((call) => call.name === reference.name)) return [];
      return [`${prefix}module.${reference.name}`, ...(child?.outputs ?? []).map((output) => `${prefix}module.${reference.name}.output.${output.name}`)];
    }
    case "resource":
    case "data": {
      const found = module.resources.some((block) => block.kind === reference.kind && block.type === reference.type && block.name === reference.name);
      return found ? [`${prefix}${reference.kind === "data" ? "data." : ""}${reference.type}.${reference.name}`] : [];
    }
  }
}

/** depends_on entries ("${vault_mount.kv}", "vault_mount.kv", "module.x") as node addresses. */
function dependsOn(module: ModuleConfig, prefix: string, raw: unknown): string[] {
  if (raw === undefined) return [];
  const entries = Array.isArray(raw) ? raw : [raw];
  const needs: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== "string") continue;
    const text = entry.replace(/^\$\{([\s\S]*)\}$/, "$1").trim();
    const moduleName = /^module\.([\w-]+)$/.exec(text)?.[1];
    if (moduleName !== undefined) {
      needs.push(...allResources(module.children.get(moduleName), `${prefix}module.${moduleName}.`));
      continue;
    }
    const match = /^(data\.)?([\w-]+)\.([\w-]+)$/.exec(text);
    if (!match) continue;
    const kind = match[1] ? "data" : "resource";
    if (module.resources.some((block) => block.kind === kind && block.type === match[2] && block.name === match[3])) needs.push(`${prefix}${text}`);
  }
  return needs;
}

function allResources(module: ModuleConfig | undefined, prefix: string): string[] {
  if (!module) return [];
  return [
    ...module.resources.map((block) => `${prefix}${blockName(block)}`),
    ...module.moduleCalls.flatMap((call) => allResources(module.children.get(call.name), `${prefix}module.${call.name}.`)),
  ];
}

/** depends_on entries must name blocks of the same module, as Terraform requires. */
export function checkDependsOn(module: ModuleConfig, path: readonly string[], problems: Problem[]): void {
  const prefix = path.map((name) => `module.${name}.`).join("");
  const blocks: { file: string; line?: number; address: string; raw: unknown }[] = [
    ...module.resources.map((block) => ({ file: block.file, line: block.line, address: `${prefix}${blockName(block)}`, raw: block.body.depends_on })),
    ...module.moduleCalls.map((call) => ({ file: call.file, line: call.line, address: `${prefix}module.${call.name}`, raw: call.body.depends_on })),
    ...module.outputs.map((output) => ({ file: output.file, line: output.line, address: `${prefix}output "${output.name}"`, raw: output.body.depends_on })),
  ];
  for (const block of blocks) {
    if (block.raw === undefined) continue;
    const where = { file: block.file, line: block.line, address: block.address, attribute: "depends_on" };
    if (!Array.isArray(block.raw)) {
      problems.push({ ...where, message: 'must be a list of addresses; write ["type.name", ...]' });
      continue;
    }
    for (const entry of block.raw) {
      const text = typeof entry === "string" ? entry.replace(/^\$\{([\s\S]*)\}$/, "$1").trim() : "";
      const match = /^(?:module\.([\w-]+)|(data\.)?([\w-]+)\.([\w-]+))$/.exec(text);
      if (!match) {
        problems.push({ ...where, message: 'entries must be addresses such as vault_policy.ci or module.ci; fix the entry' });
        continue;
      }
      const declared = match[1] !== undefined
        ? module.moduleCalls.some((call) => call.name === match[1])
        : module.resources.some((candidate) => candidate.kind === (match[2] ? "data" : "resource") && candidate.type === match[3] && candidate.name === match[4]);
      if (!declared) problems.push({ ...where, message: `names ${text}, which is not declared in this module; add it or remove the entry` });
    }
  }
  for (const call of module.moduleCalls) {
    const child = module.children.get(call.name);
    if (child) checkDependsOn(child, [...path, call.name], problems);
  }
}

