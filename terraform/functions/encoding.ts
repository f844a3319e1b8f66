// Terraform's encoding, hash and number functions. jsonencode writes map keys in lexical order
// and escapes <, > and & as \u003c, \u003e, \u0026, as Go's encoder (and so Terraform) does.
import { createHash } from "node:crypto";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { EvaluationError, canonical, makeMap, toNumber, toText, type Value } from "../expression/values.ts";
import { args, type FunctionTable } from "./signature.ts";

export function jsonEncode(value: Value): string {
  return JSON.stringify(canonical(value)).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** JSON or YAML parsed into a Value (objects without prototype traps). */
function fromPlain(value: unknown, depth = 0): Value {
  if (depth > 200) throw new EvaluationError("the document nests too deeply");
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => fromPlain(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) return makeMap(Object.entries(value).map(([key, item]) => [key, fromPlain(item, depth + 1)]));
  if (typeof value === "bigint") return Number(value);
  return value as Value;
}

const hash = (algorithm: string, encoding: "hex" | "base64") => (values: readonly Value[]) =>
  createHash(algorithm).update(toText(args(algorithm, values, 1)[0]!, `${algorithm}()'s argument`)).digest(encoding);

export const encodingFunctions: FunctionTable = {
  jsonencode: (values) => jsonEncode(args("jsonencode", values, 1)[0]!),
  jsondecode: (values) => {
    const text = toText(args("jsondecode", values, 1)[0]!, "jsondecode()'s argument");
    try {
      return fromPlain(JSON.parse(text));
    } catch (error) {
      if (error instanceof EvaluationError) throw error;
      throw new EvaluationError("jsondecode(): the string is not valid JSON");
    }
  },
  yamlencode: (values) => stringifyYaml(canonical(args("yamlencode", values, 1)[0]!)),
  yamldecode: (values) => {
    const text = toText(args("yamldecode", values, 1)[0]!, "yamldecode()'s argument");
    try {
      return fromPlain(parseYaml(text));
    } catch (error) {
      if (error instanceof EvaluationError) throw error;
      throw new EvaluationError("yamldecode(): the string is not valid YAML");
    }
  },
  base64encode: (values) => Buffer.from(toText(args("base64encode", values, 1)[0]!, "base64encode()'s argument")).toString("base64"),
  base64decode: (values) => {
    const text = toText(args("base64decode", values, 1)[0]!, "base64decode()'s argument");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new EvaluationError("base64decode(): the string is not valid base64");
    const decoded = Buffer.from(text, "base64");
    const out = decoded.toString("utf8");
    if (!Buffer.from(out).equals(decoded)) throw new EvaluationError("base64decode(): the decoded bytes are not UTF-8");
    return out;
  },
  textencodebase64: (values) => {
    const [text, encoding] = args("textencodebase64", values, 2).map((value) => toText(value, "textencodebase64()'s argument"));
    if (!/^utf-?8$/i.test(encoding!)) throw new EvaluationError("textencodebase64(): only UTF-8 is supported here");
    return Buffer.from(text!).toString("base64");
  },
  urlencode: (values) =>
    encodeURIComponent(toText(args("urlencode", values, 1)[0]!, "urlencode()'s argument"))
      .replace(/%20/g, "+")
      .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`),
  csvdecode: (values) => csvDecode(toText(args("csvdecode", values, 1)[0]!, "csvdecode()'s argument")),
  md5: hash("md5", "hex"),
  sha1: hash("sha1", "hex"),
  sha256: hash("sha256", "hex"),
  sha512: hash("sha512", "hex"),
  base64sha256: hash("sha256", "base64"),
  base64sha512: hash("sha512", "base64"),
  abs: (values) => Math.abs(toNumber(args("abs", values, 1)[0]!, "abs()'s argument")),
  ceil: (values) => Math.ceil(toNumber(args("ceil", values, 1)[0]!, "ceil()'s argument")),
  floor: (values) => Math.floor(toNumber(args("floor", values, 1)[0]!, "floor()'s argument")),
  signum: (values) => Math.sign(toNumber(args("signum", values, 1)[0]!, "signum()'s argument")),
  pow: (values) => {
    const [base, exponent] = args("pow", values, 2).map((value) => toNumber(value, "pow()'s argument"));
    return base! ** exponent!;
  },
  log: (values) => {
    const [number, base] = args("log", values, 2).map((value) => toNumber(value, "log()'s argument"));
    return Math.log(number!) / Math.log(base!);
  },
  min: (values) => Math.min(...numbers("min", values)),
  max: (values) => Math.max(...numbers("max", values)),
  parseint: (values) => {
    const [text, base] = args("parseint", values, 2);
    const radix = toNumber(base!, "parseint()'s base");
    const digits = toText(text!, "parseint()'s string");
    if (radix < 2 || radix > 62 || !Number.isInteger(radix)) throw new EvaluationError("parseint(): the base must be an integer from 2 to 62");
    const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".slice(0, radix);
    const body = digits.replace(/^[-+]/, "");
    const folded = radix <= 36 ? body.toLowerCase() : body;
    if (body === "" || [...folded].some((char) => !alphabet.includes(char))) throw new EvaluationError(`parseint(): the string is not a number in base ${radix}`);
    const value = [...folded].reduce((total, char) => total * radix + alphabet.indexOf(char), 0);
    return digits.startsWith("-") ? -value : value;
  },
};

function numbers(name: string, values: readonly Value[]): number[] {
  if (values.length === 0) throw new EvaluationError(`${name}() needs at least one number`);
  return values.map((value) => toNumber(value, `an argument of ${name}()`));
}

/** RFC 4180 CSV with a header row: a list of maps of strings. */
function csvDecode(text: string): Value {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (quoted) throw new EvaluationError("csvdecode(): a quoted field is not closed");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  if (!header) throw new EvaluationError("csvdecode(): there is no header row");
  return body.map((cells, line) => {
    if (cells.length !== header.length) throw new EvaluationError(`csvdecode(): row ${line + 2} has ${cells.length} fields, the header ${header.length}`);
    return makeMap(header.map((name, index) => [name, cells[index]!]));
  });
}
