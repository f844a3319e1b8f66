// One module's files (HCL already turned into JSON, or Terraform JSON) gathered into its blocks:
// variables, locals, resources and data sources, module calls, outputs. Both JSON forms of a
// labeled block are read: objects keyed by label, and arrays of such objects (what HCL-to-JSON
// converters and some writers emit). Bodies stay raw JSON: strings are templates, evaluated later.
import type { Problem } from "./problems.ts";

export type RawBody = Readonly<Record<string, unknown>>;

export interface SourceFile {
  /** As the user named it (or directory-relative), for messages. */
  readonly name: string;
  readonly json: unknown;
  /** The HCL source, to find the line a block starts on; undefined for JSON files. */
  readonly hcl?: string;
}

interface Located {
  readonly file: string;
  readonly line?: number;
}

export interface VariableBlock extends Located {
  readonly name: string;
  readonly body: RawBody;
}

export interface LocalValue extends Located {
  readonly name: string;
  readonly value: unknown;
}

export interface ResourceBlock extends Located {
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  readonly body: RawBody;
}

export interface ModuleCall extends Located {
  readonly name: string;
  readonly body: RawBody;
}

export interface OutputBlock extends Located {
  readonly name: string;
  readonly body: RawBody;
}

export interface ModuleConfig {
  /** The module's directory, as the loader resolved it. */
  readonly dir: string;
  readonly variables: ReadonlyMap<string, VariableBlock>;
  readonly locals: ReadonlyMap<string, LocalValue>;
  readonly resources: readonly ResourceBlock[];
  readonly moduleCalls: readonly ModuleCall[];
  readonly outputs: readonly OutputBlock[];
  /** Child modules by call name, read by the loader. */
  readonly children: ReadonlyMap<string, ModuleConfig>;
}

/** The block header's line in HCL source: `resource "vault_policy" "ci" {`. */
export function blockLine(hcl: string | undefined, keyword: string, labels: readonly string[]): number | undefined {
  if (hcl === undefined) return undefined;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^[ \\t]*${keyword}${labels.map((label) => `[ \\t]+"?${escape(label)}"?`).join("")}[ \\t]*\\{`, "m");
  const match = pattern.exec(hcl);
  return match ? hcl.slice(0, match.index).split("\n").length : undefined;
}

/** Bodies of a block that may be written once (an object) or as a list of objects. */
export function bodiesOf(value: unknown): RawBody[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is RawBody => typeof item === "object" && item !== null && !Array.isArray(item));
}

/** label → bodies, for `variable`, `output`, `module`: `{name: {...}}`, `{name: [{...}]}` or `[{name: {...}}]`. */
function labeled(value: unknown): [string, RawBody][] {
  const out: [string, RawBody][] = [];
  for (const section of bodiesOf(value)) {
    for (const [label, inner] of Object.entries(section)) {
      if (label === "//") continue;
      for (const body of bodiesOf(inner)) out.push([label, body]);
    }
  }
  return out;
}

const knownTopLevel = new Set(["//", "terraform", "provider", "resource", "data", "output", "moved", "variable", "locals", "module", "check", "import", "removed", "ephemeral"]);

export interface ModuleParts {
  readonly variables: VariableBlock[];
  readonly locals: LocalValue[];
  readonly resources: ResourceBlock[];
  readonly moduleCalls: ModuleCall[];
  readonly outputs: OutputBlock[];
}

/** The blocks of one file, with a problem for each block that cannot mean anything here. */
export function readFileBlocks(file: SourceFile, problems: Problem[]): ModuleParts {
  const parts: ModuleParts = { variables: [], locals: [], resources: [], moduleCalls: [], outputs: [] };
  const json = file.json;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    problems.push({ file: file.name, message: "the file must hold a JSON object of Terraform blocks (resource, data, variable, output, …)" });
    return parts;
  }
  const at = (keyword: string, labels: readonly string[]) => ({ file: file.name, line: blockLine(file.hcl, keyword, labels) });
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!knownTopLevel.has(key)) {
      problems.push({ file: file.name, message: `unknown top-level block "${key}"; remove it or check its spelling` });
      continue;
    }
    switch (key) {
      case "resource":
      case "data":
        for (const [type, named] of labeled(value)) {
          for (const [name, body] of Object.entries(named)) {
            if (name === "//") continue;
            for (const one of bodiesOf(body)) parts.resources.push({ kind: key, type, name, body: one, ...at(key, [type, name]) });
          }
        }
        break;
      case "variable":
        for (const [name, body] of labeled(value)) parts.variables.push({ name, body, ...at("variable", [name]) });
        break;
      case "output":
        for (const [name, body] of labeled(value)) parts.outputs.push({ name, body, ...at("output", [name]) });
        break;
      case "module":
        for (const [name, body] of labeled(value)) parts.moduleCalls.push({ name, body, ...at("module", [name]) });
        break;
      case "locals":
        for (const body of bodiesOf(value)) {
          for (const [name, local] of Object.entries(body)) if (name !== "//") parts.locals.push({ name, value: local, file: file.name, line: localLine(file.hcl, name) });
        }
        break;
      case "ephemeral":
        problems.push({ file: file.name, message: "ephemeral resources are not read here; remove them, or keep them in a configuration applied to a real backend" });
        break;
      // terraform (settings), provider (credentials and addresses of the real backends), moved,
      // import, removed and check blocks change nothing that a fresh backend or a plan reads.
    }
  }
  return parts;
}

function localLine(hcl: string | undefined, name: string): number | undefined {
  if (hcl === undefined) return undefined;
  const match = new RegExp(`^[ \\t]*${name.replace(/[^\w-]/g, "")}[ \\t]*=`, "m").exec(hcl);
  return match ? hcl.slice(0, match.index).split("\n").length : undefined;
}

/** The module's blocks from all its files; a name declared twice is a problem, as in Terraform. */
export function assembleModule(dir: string, files: readonly SourceFile[], children: ReadonlyMap<string, ModuleConfig>, problems: Problem[]): ModuleConfig {
  const variables = new Map<string, VariableBlock>();
  const locals = new Map<string, LocalValue>();
  const resources: ResourceBlock[] = [];
  const moduleCalls: ModuleCall[] = [];
  const outputs: OutputBlock[] = [];
  const seen = new Set<string>();
  const once = (key: string, where: Located, what: string): boolean => {
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    problems.push({ ...where, message: `${what} is declared twice in this module; keep one` });
    return false;
  };
  for (const file of files) {
    const parts = readFileBlocks(file, problems);
    for (const variable of parts.variables) if (once(`var.${variable.name}`, variable, `variable "${variable.name}"`)) variables.set(variable.name, variable);
    for (const local of parts.locals) if (once(`local.${local.name}`, local, `local.${local.name}`)) locals.set(local.name, local);
    for (const block of parts.resources) {
      const address = `${block.kind === "data" ? "data." : ""}${block.type}.${block.name}`;
      if (once(address, block, address)) resources.push(block);
    }
    for (const call of parts.moduleCalls) if (once(`module.${call.name}`, call, `module "${call.name}"`)) moduleCalls.push(call);
    for (const output of parts.outputs) if (once(`output.${output.name}`, output, `output "${output.name}"`)) outputs.push(output);
  }
  return { dir, variables, locals, resources, moduleCalls, outputs, children };
}
