// Every Terraform function the reader evaluates, and the one place that calls them: an argument
// that is Unknown makes the result Unknown; a function Terraform has but the reader does not
// (impure ones such as timestamp(), network ones such as cidrsubnet()) is refused with what to do.
// File functions read through FileAccess, so the evaluator itself does no IO.
import { parseTemplate } from "../expression/parse.ts";
import { evaluate, functionsOnlyScope } from "../expression/evaluate.ts";
import { EvaluationError, findUnknown, makeMap, toMap, toText, type Value } from "../expression/values.ts";
import { collectionFunctions } from "./collections.ts";
import { encodingFunctions } from "./encoding.ts";
import { args, type FunctionTable } from "./signature.ts";
import { stringFunctions } from "./strings.ts";

/** How file(), templatefile() and fileexists() see files: paths as written, resolved by the caller. */
export interface FileAccess {
  /** The text of the file, or undefined when there is none. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
  /** Files under a directory, as paths relative to it ("a/b.hcl"); undefined when it is no directory. */
  listFiles(dir: string): string[] | undefined;
}

const identity = (name: string) => (values: readonly Value[]) => args(name, values, 1)[0]!;

const pureFunctions: FunctionTable = {
  ...stringFunctions,
  ...collectionFunctions,
  ...encodingFunctions,
  sensitive: identity("sensitive"),
  nonsensitive: identity("nonsensitive"),
};

const refused: Readonly<Record<string, string>> = {
  timestamp: "it changes on every run",
  plantimestamp: "it changes on every run",
  uuid: "it changes on every run",
  bcrypt: "it changes on every run",
  formatdate: "date functions are not evaluated here",
  timeadd: "date functions are not evaluated here",
  timecmp: "date functions are not evaluated here",
  cidrhost: "network functions are not evaluated here",
  cidrnetmask: "network functions are not evaluated here",
  cidrsubnet: "network functions are not evaluated here",
  cidrsubnets: "network functions are not evaluated here",
  uuidv5: "it is not evaluated here",
  filebase64sha256: "it is not evaluated here",
  filemd5: "it is not evaluated here",
  pathexpand: "it depends on the home directory",
  rsadecrypt: "it is not evaluated here",
  ephemeralasnull: "ephemeral values are not read here",
};

export type FunctionCaller = (name: string, args: readonly Value[]) => Value;

export function functionCaller(files: FileAccess): FunctionCaller {
  const fileFunctions: FunctionTable = {
    file: (values) => readFile(files, toText(args("file", values, 1)[0]!, "file()'s path"), "file"),
    fileexists: (values) => files.exists(toText(args("fileexists", values, 1)[0]!, "fileexists()'s path")),
    filebase64: (values) => Buffer.from(readFile(files, toText(args("filebase64", values, 1)[0]!, "filebase64()'s path"), "filebase64")).toString("base64"),
    templatefile: (values) => {
      const [path, vars] = args("templatefile", values, 2);
      const source = readFile(files, toText(path!, "templatefile()'s path"), "templatefile");
      return renderTemplateFile(source, toMap(vars!, "templatefile()'s variables"), call);
    },
    fileset: (values) => {
      const [dir, pattern] = args("fileset", values, 2).map((value) => toText(value, "fileset()'s argument"));
      const listed = files.listFiles(dir!) ?? [];
      const matcher = globPattern(pattern!);
      return listed.filter((path) => matcher.test(path)).sort();
    },
    basename: (values) => toText(args("basename", values, 1)[0]!, "basename()'s path").replace(/\/+$/, "").split("/").pop() ?? "",
    dirname: (values) => {
      const path = toText(args("dirname", values, 1)[0]!, "dirname()'s path");
      const cut = path.replace(/\/+$/, "").lastIndexOf("/");
      return cut < 0 ? "." : cut === 0 ? "/" : path.slice(0, cut);
    },
  };
  const call: FunctionCaller = (rawName, values) => {
    const name = rawName.startsWith("core::") ? rawName.slice("core::".length) : rawName;
    const fn = pureFunctions[name] ?? fileFunctions[name];
    if (!fn) {
      if (refused[name]) throw new EvaluationError(`${name}() is not supported: ${refused[name]}; write the value it computes`);
      if (name.includes("::")) throw new EvaluationError(`${name}() is a provider-defined function, which is not evaluated here; write the value it computes`);
      throw new EvaluationError(`there is no function named "${name}"; check its spelling against Terraform's function list`);
    }
    const unknown = values.map(findUnknown).find((found) => found !== undefined);
    if (unknown) return unknown;
    return fn(values);
  };
  return call;
}

/** fileset()'s pattern syntax: *, **, ?, [class] and {a,b}. */
function globPattern(pattern: string): RegExp {
  let out = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "*" && pattern[index + 1] === "*") {
      out += pattern[index + 2] === "/" ? "(?:.*/)?" : ".*";
      index += pattern[index + 2] === "/" ? 2 : 1;
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "{") out += "(?:";
    else if (char === "}") out += ")";
    else if (char === "," && out.includes("(?:")) out += "|";
    else if (char === "[") {
      const end = pattern.indexOf("]", index);
      if (end < 0) throw new EvaluationError("fileset(): the pattern has an unclosed [");
      out += `[${pattern.slice(index + 1, end).replace(/\\/g, "\\\\")}]`;
      index = end;
    } else out += char.replace(/[.+^$()|\\]/g, "\\$&");
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    throw new EvaluationError("fileset(): the pattern is not valid");
  }
}

function readFile(files: FileAccess, path: string, name: string): string {
  const text = files.readText(path);
  if (text === undefined) throw new EvaluationError(`${name}(): cannot read the file "${path}"; check the path (relative paths start at the root module's directory; write "\${path.module}/…" inside modules)`);
  return text;
}

/** A template file rendered with only its variables in scope, as Terraform does. */
function renderTemplateFile(source: string, vars: Readonly<Record<string, Value>>, call: FunctionCaller): Value {
  let template;
  try {
    template = parseTemplate(source);
  } catch (error) {
    throw new EvaluationError(`templatefile(): the template does not parse: ${(error as Error).message}`);
  }
  const names = makeMap(Object.entries(vars));
  const scope = functionsOnlyScope((name, values) => {
    if (name === "templatefile") throw new EvaluationError("templatefile() cannot call itself from a template");
    return call(name, values);
  });
  return evaluate(template, scope, names);
}
