// Terraform's string functions, as its documentation defines them (format verbs, regex
// replacement when the pattern is written /…/, indent that skips the first line, title-casing
// by word boundary).
import { EvaluationError, toList, toNumber, toText, type Value } from "../expression/values.ts";
import { args, type FunctionTable } from "./signature.ts";

export const stringFunctions: FunctionTable = {
  format: (values) => {
    const [spec, ...rest] = values;
    return format(toText(spec ?? null, "the format string"), rest);
  },
  formatlist: (values) => {
    const [spec, ...rest] = values;
    const text = toText(spec ?? null, "the format string");
    const lengths = rest.filter(Array.isArray).map((list) => list.length);
    if (new Set(lengths).size > 1) throw new EvaluationError("formatlist(): all list arguments must have the same length");
    const count = lengths[0] ?? 1;
    return Array.from({ length: count }, (_, index) => format(text, rest.map((arg) => (Array.isArray(arg) ? arg[index]! : arg))));
  },
  join: (values) => {
    const [separator, ...lists] = args("join", values, 2, Infinity);
    const sep = toText(separator!, "join()'s separator");
    return lists.flatMap((list) => toList(list, "join()'s list")).map((item) => toText(item, "an element given to join()")).join(sep);
  },
  split: (values) => {
    const [separator, text] = args("split", values, 2);
    return toText(text!, "split()'s string").split(toText(separator!, "split()'s separator"));
  },
  replace: (values) => {
    const [text, search, replacement] = args("replace", values, 3).map((value, index) => toText(value, `replace()'s argument ${index + 1}`));
    const pattern = /^\/(.*)\/$/s.exec(search!);
    if (pattern) return text!.replace(regex(pattern[1]!, "g"), goReplacement(replacement!));
    return text!.split(search!).join(replacement!);
  },
  lower: one((text) => text.toLowerCase()),
  upper: one((text) => text.toUpperCase()),
  title: one((text) => text.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase())),
  trimspace: one((text) => text.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, "")),
  chomp: one((text) => text.replace(/(\r\n|\n|\r)+$/, "")),
  strrev: one((text) => [...text].reverse().join("")),
  trim: (values) => {
    const [text, cutset] = args("trim", values, 2).map((value) => toText(value, "trim()'s argument"));
    const chars = new Set([...cutset!]);
    const list = [...text!];
    let start = 0;
    let end = list.length;
    while (start < end && chars.has(list[start]!)) start++;
    while (end > start && chars.has(list[end - 1]!)) end--;
    return list.slice(start, end).join("");
  },
  trimprefix: (values) => {
    const [text, prefix] = args("trimprefix", values, 2).map((value) => toText(value, "trimprefix()'s argument"));
    return text!.startsWith(prefix!) ? text!.slice(prefix!.length) : text!;
  },
  trimsuffix: (values) => {
    const [text, suffix] = args("trimsuffix", values, 2).map((value) => toText(value, "trimsuffix()'s argument"));
    return suffix !== "" && text!.endsWith(suffix!) ? text!.slice(0, -suffix!.length) : text!;
  },
  startswith: (values) => {
    const [text, prefix] = args("startswith", values, 2).map((value) => toText(value, "startswith()'s argument"));
    return text!.startsWith(prefix!);
  },
  endswith: (values) => {
    const [text, suffix] = args("endswith", values, 2).map((value) => toText(value, "endswith()'s argument"));
    return text!.endsWith(suffix!);
  },
  strcontains: (values) => {
    const [text, part] = args("strcontains", values, 2).map((value) => toText(value, "strcontains()'s argument"));
    return text!.includes(part!);
  },
  substr: (values) => {
    const [textValue, offsetValue, lengthValue] = args("substr", values, 3);
    const chars = [...toText(textValue!, "substr()'s string")];
    let offset = toNumber(offsetValue!, "substr()'s offset");
    const length = toNumber(lengthValue!, "substr()'s length");
    if (offset < 0) offset = Math.max(0, chars.length + offset);
    if (offset > chars.length) throw new EvaluationError("substr(): the offset is beyond the end of the string");
    return chars.slice(offset, length < 0 ? undefined : offset + length).join("");
  },
  indent: (values) => {
    const [spaces, text] = args("indent", values, 2);
    const pad = " ".repeat(Math.max(0, Math.min(1000, toNumber(spaces!, "indent()'s count"))));
    return toText(text!, "indent()'s string").replace(/\n/g, `\n${pad}`);
  },
  regex: (values) => {
    const [pattern, text] = args("regex", values, 2).map((value) => toText(value, "regex()'s argument"));
    const match = regex(pattern!, "").exec(text!);
    if (!match) throw new EvaluationError("regex(): the pattern did not match the string; use regexall() or can(regex(…)) to test first");
    return matchValue(match);
  },
  regexall: (values) => {
    const [pattern, text] = args("regexall", values, 2).map((value) => toText(value, "regexall()'s argument"));
    return [...text!.matchAll(regex(pattern!, "g"))].map(matchValue);
  },
};

function one(transform: (text: string) => string) {
  return (values: readonly Value[]): Value => transform(toText(args("function", values, 1)[0]!, "the argument"));
}

/** RE2 syntax is mostly JavaScript's; named groups are written (?P<name>…) in RE2. */
function regex(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, "(?<"), `${flags}u`);
  } catch {
    throw new EvaluationError("the regular expression is not valid");
  }
}

/** Go's replacement syntax: $1, ${1}, ${name}; "$$" is a dollar. */
function goReplacement(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => (/^\d+$/.test(name) ? `$${name}` : `$<${name}>`));
}

function matchValue(match: RegExpMatchArray): Value {
  if (match.groups && Object.keys(match.groups).length > 0) {
    return Object.fromEntries(Object.entries(match.groups).map(([key, value]) => [key, value ?? null]));
  }
  if (match.length > 1) return match.slice(1).map((value) => value ?? null);
  return match[0];
}

/** Terraform's format(): %s %d %f %t %v %q %x %X %o %b %e %%, with width, precision and flags. */
export function format(spec: string, values: readonly Value[]): string {
  let next = 0;
  return spec.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g, (_whole, flags: string, width?: string, precision?: string, argIndex?: string, verb?: string) => {
    if (verb === "%") return "%";
    const index = argIndex === undefined ? next++ : Number(argIndex) - 1;
    if (index >= values.length) throw new EvaluationError(`format(): not enough arguments for the format string (needs at least ${index + 1})`);
    const value = values[index]!;
    let text: string;
    switch (verb) {
      case "s": text = toText(value, "a %s argument of format()"); break;
      case "v": text = typeof value === "object" && value !== null ? JSON.stringify(value) : toText(value, "a %v argument of format()"); break;
      case "q": text = JSON.stringify(toText(value, "a %q argument of format()")); break;
      case "t": text = String(value === true || value === "true"); break;
      case "d": text = Math.trunc(toNumber(value, "a %d argument of format()")).toString(); break;
      case "f": text = toNumber(value, "a %f argument of format()").toFixed(precision === undefined ? 6 : Number(precision)); break;
      case "e": text = toNumber(value, "a %e argument of format()").toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, "e$10$2"); break;
      case "x": case "X": case "o": case "b": {
        const radix = verb === "o" ? 8 : verb === "b" ? 2 : 16;
        text = typeof value === "string" && verb !== "o" && verb !== "b" && !/^-?\d+$/.test(value)
          ? [...Buffer.from(value)].map((byte) => byte.toString(16).padStart(2, "0")).join("")
          : Math.trunc(toNumber(value, `a %${verb} argument of format()`)).toString(radix);
        if (verb === "X") text = text.toUpperCase();
        break;
      }
      default:
        throw new EvaluationError(`format(): unsupported verb %${verb} in the format string`);
    }
    if (typeof value === "number" && flags.includes("+") && value >= 0 && "df".includes(verb!)) text = `+${text}`;
    const size = width === undefined ? 0 : Number(width);
    if (size > 4096) throw new EvaluationError("format(): a width above 4096 is not supported");
    if (text.length < size) {
      if (flags.includes("-")) text = text.padEnd(size);
      else text = flags.includes("0") && "dfxXob".includes(verb!) ? text.padStart(size, "0") : text.padStart(size);
    }
    return text;
  });
}
