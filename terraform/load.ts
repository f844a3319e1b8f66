// The file-reading edge of the Terraform reader: a directory is read as Terraform reads a root
// module (every *.tf and *.tf.json in it, the auto-loaded tfvars files), a file or several as
// given; HCL goes through @cdktn/hcl2json; local module sources are read from their directory
// and registry ones from where `terraform init` laid them out (.terraform/modules/modules.json).
// Everything after this is pure: see evaluate-configuration.ts.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { assembleModule, type ModuleConfig, type SourceFile } from "./configuration.ts";
import type { FileAccess } from "./functions/index.ts";
import { ConfigurationError, type Problem } from "./problems.ts";
import { environmentAssignments, type AssignedValue } from "./variables.ts";
import { jsonValue, tfvarsValue } from "./variables.ts";
import { constantEvaluator } from "./constant.ts";
import { EvaluationError } from "./expression/values.ts";
import { ExpressionSyntaxError } from "./expression/parse.ts";

export type CommandLineInput = { readonly kind: "var"; readonly name: string; readonly text: string } | { readonly kind: "var-file"; readonly path: string };

export interface LoadOptions {
  /** Directories (a root module each) and files; together they make one root module. */
  readonly paths: readonly string[];
  /** --var and --var-file, in command-line order. */
  readonly commandLine?: readonly CommandLineInput[];
  /** Where TF_VAR_* come from (process.env for the CLI). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfiguration {
  /** The paths as given, for messages and summaries. */
  readonly label: string;
  /** The root module's directory: relative file() paths and path.root start here. */
  readonly rootDir: string;
  readonly root: ModuleConfig;
  /** Variable values in precedence order: a later one for the same name wins. */
  readonly assignments: readonly AssignedValue[];
  readonly files: FileAccess;
  /** Problems found while reading (syntax, duplicates, unknown blocks); evaluation adds its own. */
  readonly problems: readonly Problem[];
}

/** No configuration file or tfvars file is larger than this in practice. */
const maxFileBytes = 8 * 1024 * 1024;

export async function loadConfiguration(options: LoadOptions): Promise<LoadedConfiguration> {
  const problems: Problem[] = [];
  if (options.paths.length === 0) throw new ConfigurationError([{ file: "(none)", message: "no Terraform path given; pass a directory or .tf/.tf.json files" }]);
  const { files: rootFiles, dirs } = await expandPaths(options.paths);
  const rootDir = dirs[0] ?? dirname(options.paths[0]!);
  const sources = await readSources(rootFiles, problems);
  const registry = await readModuleManifest(rootDir, problems);
  const root = await readModuleTree(rootDir, sources, "", registry, problems, 0);

  const evaluateConstant = constantEvaluator();
  const assignments: AssignedValue[] = [...environmentAssignments(options.environment ?? {})];
  // Auto-loaded files only where Terraform looks for them: the root module's directory.
  if (dirs.length > 0) {
    for (const file of await autoVariableFiles(rootDir)) assignments.push(...(await readVariableFile(file, problems, evaluateConstant)));
  }
  for (const input of options.commandLine ?? []) {
    if (input.kind === "var") assignments.push({ name: input.name, given: { text: input.text }, source: `--var ${input.name}` });
    else assignments.push(...(await readVariableFile(input.path, problems, evaluateConstant)));
  }
  return { label: options.paths.join(", "), rootDir, root, assignments, files: fileAccess(rootDir), problems };
}

async function expandPaths(paths: readonly string[]): Promise<{ files: string[]; dirs: string[] }> {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "read error";
      throw new ConfigurationError([{ file: path, message: `cannot read the file (${code}); check the path and its permissions` }]);
    }
    if (info.isDirectory()) {
      dirs.push(path);
      const found = await configurationFilesIn(path);
      if (found.length === 0) throw new ConfigurationError([{ file: path, message: "the directory holds no .tf or .tf.json file; pass the directory of the root module" }]);
      files.push(...found);
    } else files.push(path);
  }
  return { files, dirs };
}

/** What Terraform reads in a module directory: *.tf and *.tf.json, not hidden or editor files. */
async function configurationFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && /\.tf(\.json)?$/.test(entry.name) && !entry.name.startsWith(".") && !/^#.*#$|~$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return names.map((name) => join(dir, name));
}

async function readSources(files: readonly string[], problems: Problem[]): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  for (const file of files) {
    const source = await readSource(file, problems);
    if (source) sources.push(source);
  }
  return sources;
}

async function readText(file: string): Promise<string> {
  const info = await stat(file);
  if (info.size > maxFileBytes) throw Object.assign(new Error("too large"), { code: "EFBIG" });
  return readFile(file, "utf8");
}

async function readSource(file: string, problems: Problem[]): Promise<SourceFile | undefined> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new ConfigurationError([{ file, message: `cannot read the file (${code}); check the path and its permissions` }]);
  }
  if (/(^|[/\\])(override|[^/\\]*_override)\.tf(\.json)?$/.test(file)) {
    problems.push({ file, message: "override files are not merged by this reader; fold the overrides into the files they change" });
    return undefined;
  }
  if (file.endsWith(".json")) {
    try {
      return { name: file, json: JSON.parse(text) };
    } catch {
      // The parser's message quotes the text, which may hold secret values: say only what to do.
      problems.push({ file, message: "not valid JSON; pass Terraform JSON (cdktf.out/stacks/NAME/cdk.tf.json or a *.tf.json file)" });
      return undefined;
    }
  }
  const parsed = await parseHcl(file, text);
  if ("problem" in parsed) {
    problems.push(parsed.problem);
    return undefined;
  }
  return { name: file, json: parsed.json, hcl: text };
}

type Hcl2json = Pick<typeof import("@cdktn/hcl2json"), "parse">;

/** HCL through @cdktn/hcl2json (loaded on first use: its WebAssembly costs a few hundred ms). */
export async function parseHcl(file: string, text: string): Promise<{ json: unknown } | { problem: Problem }> {
  // A CommonJS module: Node names its exports, a bundle's chunk exports only `default`.
  const loaded: Partial<Hcl2json> & { default?: Hcl2json } = await import("@cdktn/hcl2json");
  const parse = loaded.parse ?? loaded.default!.parse;
  try {
    return { json: await parse(basename(file), text) };
  } catch (error) {
    return { problem: hclSyntaxProblem(file, String((error as Error)?.message ?? error)) };
  }
}

/** "parse config: [main.tf:5,1-2: Missing item separator; Expected a comma …]" → line 5 and the text. */
export function hclSyntaxProblem(file: string, message: string): Problem {
  const match = /:(\d+),\d+(?:-\d+)?: ([^\]]*)/.exec(message);
  if (!match) return { file, message: "HCL syntax error; check the file with terraform fmt" };
  return { file, line: Number(match[1]), message: `HCL syntax error: ${match[2]!.trim().replace(/\.$/, "")}` };
}

interface ManifestEntry {
  readonly key: string;
  readonly dir: string;
}

/** `terraform init`'s record of where each module call's source was laid out. */
async function readModuleManifest(rootDir: string, problems: Problem[]): Promise<Map<string, string>> {
  const file = join(rootDir, ".terraform", "modules", "modules.json");
  const dirs = new Map<string, string>();
  if (!existsSync(file)) return dirs;
  try {
    const manifest = JSON.parse(await readText(file)) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
    const entries: ManifestEntry[] = (manifest.Modules ?? [])
      .filter((entry) => typeof entry.Key === "string" && typeof entry.Dir === "string")
      .map((entry) => ({ key: entry.Key as string, dir: entry.Dir as string }));
    for (const entry of entries) dirs.set(entry.key, resolve(rootDir, entry.dir));
  } catch {
    problems.push({ file, message: "not a module manifest Terraform wrote; run terraform init again" });
  }
  return dirs;
}

const maxModuleDepth = 16;

async function readModuleTree(dir: string, sources: readonly SourceFile[], key: string, registry: ReadonlyMap<string, string>, problems: Problem[], depth: number): Promise<ModuleConfig> {
  const shell = assembleModule(dir, sources, new Map(), problems);
  const children = new Map<string, ModuleConfig>();
  for (const call of shell.moduleCalls) {
    const childKey = key === "" ? call.name : `${key}.${call.name}`;
    const where = { file: call.file, line: call.line, address: `module.${call.name}` };
    const source = call.body.source;
    if (typeof source !== "string" || source.includes("${")) {
      problems.push({ ...where, attribute: "source", message: "must be a literal string (a ./path or a registry address)" });
      continue;
    }
    if (depth >= maxModuleDepth) {
      problems.push({ ...where, message: `modules nest deeper than ${maxModuleDepth} levels; check for a module that calls itself` });
      continue;
    }
    const childDir = source.startsWith("./") || source.startsWith("../") ? resolve(dir, source) : registry.get(childKey);
    if (childDir === undefined) {
      problems.push({ ...where, attribute: "source", message: `"${source}" is not a local path and terraform init has not laid it out under .terraform/modules; run terraform init, or use a ./ path` });
      continue;
    }
    let files: string[];
    try {
      files = await configurationFilesIn(childDir);
    } catch {
      problems.push({ ...where, attribute: "source", message: `cannot read the module directory "${relative(process.cwd(), childDir) || "."}"; check the source path` });
      continue;
    }
    const childSources = await readSources(files, problems);
    children.set(call.name, await readModuleTree(childDir, childSources, childKey, registry, problems, depth + 1));
  }
  return { ...shell, children };
}

/** terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name. */
async function autoVariableFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  const auto = names.filter((name) => /\.auto\.tfvars(\.json)?$/.test(name));
  return [...["terraform.tfvars", "terraform.tfvars.json"].filter((name) => names.includes(name)), ...auto].map((name) => join(dir, name));
}

async function readVariableFile(file: string, problems: Problem[], evaluateConstant: ReturnType<typeof constantEvaluator>): Promise<AssignedValue[]> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    problems.push({ file, message: `cannot read the variables file (${code}); check the path` });
    return [];
  }
  let raw: unknown;
  const json = file.endsWith(".json");
  if (json) {
    try {
      raw = JSON.parse(text);
    } catch {
      problems.push({ file, message: "not valid JSON; a .tfvars.json file holds one object of variable values" });
      return [];
    }
  } else {
    const parsed = await parseHcl(file, text);
    if ("problem" in parsed) {
      problems.push(parsed.problem);
      return [];
    }
    raw = parsed.json;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push({ file, message: "a variables file holds name = value assignments only" });
    return [];
  }
  const assignments: AssignedValue[] = [];
  for (const [name, value] of Object.entries(raw)) {
    try {
      assignments.push({ name, given: { value: json ? jsonValue(value) : tfvarsValue(value, evaluateConstant) }, source: file });
    } catch (error) {
      if (!(error instanceof EvaluationError || error instanceof ExpressionSyntaxError)) throw error;
      problems.push({ file, attribute: name, message: `${error.message}; a variables file holds literal values` });
    }
  }
  return assignments;
}

/** file() and templatefile() read relative to the root module's directory, as Terraform run there does. */
function fileAccess(rootDir: string): FileAccess {
  return {
    readText(path) {
      const full = resolve(rootDir, path);
      try {
        if (statSync(full).size > maxFileBytes) return undefined;
        return readFileSync(full, "utf8");
      } catch {
        return undefined;
      }
    },
    exists(path) {
      try {
        return statSync(resolve(rootDir, path)).isFile();
      } catch {
        return false;
      }
    },
    listFiles(dir) {
      try {
        const base = resolve(rootDir, dir);
        return readdirSync(base, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(base, join(entry.parentPath ?? entry.path, entry.name)).split("\\").join("/"))
          .slice(0, 10_000);
      } catch {
        return undefined;
      }
    },
  };
}
