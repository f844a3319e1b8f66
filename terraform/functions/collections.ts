// Terraform's collection and type-conversion functions. Lists, tuples and sets are arrays (a set
// sorted, without duplicates); maps and objects are plain objects iterated in key order.
import {
  EvaluationError,
  equalValues,
  hasOwn,
  isMap,
  makeMap,
  sortedKeys,
  toBool,
  toList,
  toMap,
  toNumber,
  toSet,
  toText,
  typeName,
  type Value,
} from "../expression/values.ts";
import { args, type FunctionTable } from "./signature.ts";

/** A list, or a map's values in key order (what length(), values() and contains() see). */
function itemsOf(value: Value, what: string): readonly Value[] {
  if (Array.isArray(value)) return value;
  if (isMap(value)) return sortedKeys(value).map((key) => value[key]!);
  throw new EvaluationError(`${what} must be a list, set or map, got a ${typeName(value)}`);
}

export const collectionFunctions: FunctionTable = {
  length: (values) => {
    const [value] = args("length", values, 1);
    if (typeof value === "string") return [...value].length;
    return itemsOf(value!, "length()'s argument").length;
  },
  concat: (values) => values.flatMap((value) => toList(value, "an argument of concat()")),
  merge: (values) => {
    const entries: [string, Value][] = [];
    for (const value of values) {
      if (value === null) continue;
      const map = toMap(value, "an argument of merge()");
      for (const key of Object.keys(map)) entries.push([key, map[key]!]);
    }
    return makeMap(entries);
  },
  lookup: (values) => {
    const [map, key, fallback] = args("lookup", values, 2, 3);
    const found = toMap(map!, "lookup()'s map");
    const name = toText(key!, "lookup()'s key");
    if (hasOwn(found, name)) return found[name]!;
    if (values.length === 3) return fallback!;
    throw new EvaluationError(`lookup(): the map has no key "${name}" and no default was given`);
  },
  keys: (values) => sortedKeys(toMap(args("keys", values, 1)[0]!, "keys()'s argument")),
  values: (values) => {
    const map = toMap(args("values", values, 1)[0]!, "values()'s argument");
    return sortedKeys(map).map((key) => map[key]!);
  },
  contains: (values) => {
    const [collection, item] = args("contains", values, 2);
    return itemsOf(collection!, "contains()'s collection").some((candidate) => equalValues(candidate, item!));
  },
  distinct: (values) => {
    const out: Value[] = [];
    for (const item of toList(args("distinct", values, 1)[0]!, "distinct()'s argument")) if (!out.some((seen) => equalValues(seen, item))) out.push(item);
    return out;
  },
  element: (values) => {
    const [list, index] = args("element", values, 2);
    const items = toList(list!, "element()'s list");
    if (items.length === 0) throw new EvaluationError("element(): the list is empty");
    const at = Math.floor(toNumber(index!, "element()'s index"));
    if (at < 0) throw new EvaluationError("element(): the index must not be negative");
    return items[at % items.length]!;
  },
  index: (values) => {
    const [list, item] = args("index", values, 2);
    const at = toList(list!, "index()'s list").findIndex((candidate) => equalValues(candidate, item!));
    if (at < 0) throw new EvaluationError("index(): the item is not in the list");
    return at;
  },
  flatten: (values) => flatten(toList(args("flatten", values, 1)[0]!, "flatten()'s argument")),
  reverse: (values) => [...toList(args("reverse", values, 1)[0]!, "reverse()'s argument")].reverse(),
  slice: (values) => {
    const [list, start, end] = args("slice", values, 3);
    const items = toList(list!, "slice()'s list");
    const from = toNumber(start!, "slice()'s start");
    const to = toNumber(end!, "slice()'s end");
    if (from < 0 || to > items.length || from > to) throw new EvaluationError(`slice(): the range ${from} to ${to} does not fit a list of ${items.length}`);
    return items.slice(from, to);
  },
  sort: (values) => toList(args("sort", values, 1)[0]!, "sort()'s argument").map((item) => toText(item, "an element given to sort()")).sort(),
  range: (values) => range(args("range", values, 1, 3).map((value) => toNumber(value, "range()'s argument"))),
  zipmap: (values) => {
    const [keys, items] = args("zipmap", values, 2).map((value) => toList(value, "zipmap()'s argument"));
    if (keys!.length !== items!.length) throw new EvaluationError("zipmap(): the two lists must have the same length");
    return makeMap(keys!.map((key, index) => [toText(key, "a zipmap() key"), items![index]!]));
  },
  coalesce: (values) => {
    const found = values.find((value) => value !== null && value !== "");
    if (found === undefined) throw new EvaluationError("coalesce(): every argument is null or an empty string");
    return found;
  },
  coalescelist: (values) => {
    const found = values.find((value) => toList(value, "an argument of coalescelist()").length > 0);
    if (found === undefined) throw new EvaluationError("coalescelist(): every list is empty");
    return found;
  },
  compact: (values) => toList(args("compact", values, 1)[0]!, "compact()'s argument").filter((item) => item !== null && item !== ""),
  one: (values) => {
    const items = toList(args("one", values, 1)[0]!, "one()'s argument");
    if (items.length > 1) throw new EvaluationError(`one(): the list has ${items.length} elements; it must have zero or one`);
    return items[0] ?? null;
  },
  alltrue: (values) => toList(args("alltrue", values, 1)[0]!, "alltrue()'s argument").every((item) => toBool(item, "an element given to alltrue()")),
  anytrue: (values) => toList(args("anytrue", values, 1)[0]!, "anytrue()'s argument").some((item) => toBool(item, "an element given to anytrue()")),
  chunklist: (values) => {
    const [list, size] = args("chunklist", values, 2);
    const items = toList(list!, "chunklist()'s list");
    const chunk = toNumber(size!, "chunklist()'s size");
    if (chunk < 0) throw new EvaluationError("chunklist(): the size must not be negative");
    if (chunk === 0) return [items];
    const out: Value[][] = [];
    for (let index = 0; index < items.length; index += chunk) out.push(items.slice(index, index + chunk));
    return out;
  },
  setproduct: (values) => {
    let product: Value[][] = [[]];
    for (const value of values) {
      const items = toList(value, "an argument of setproduct()");
      product = product.flatMap((prefix) => items.map((item) => [...prefix, item]));
    }
    return values.length === 0 ? [] : product;
  },
  setunion: (values) => toSet(values.flatMap((value) => toList(value, "an argument of setunion()"))),
  setintersection: (values) => {
    const [first = [], ...rest] = values.map((value) => toList(value, "an argument of setintersection()"));
    return toSet(first.filter((item) => rest.every((list) => list.some((other) => equalValues(other, item)))));
  },
  setsubtract: (values) => {
    const [a, b] = args("setsubtract", values, 2).map((value) => toList(value, "an argument of setsubtract()"));
    return toSet(a!.filter((item) => !b!.some((other) => equalValues(other, item))));
  },
  transpose: (values) => {
    const map = toMap(args("transpose", values, 1)[0]!, "transpose()'s argument");
    const out = new Map<string, string[]>();
    for (const key of sortedKeys(map)) {
      for (const item of toList(map[key]!, "a value given to transpose()")) {
        const text = toText(item, "an element given to transpose()");
        out.set(text, [...(out.get(text) ?? []), key]);
      }
    }
    return makeMap([...out].map(([key, list]) => [key, list.sort()]));
  },
  toset: (values) => toSet(toList(args("toset", values, 1)[0]!, "toset()'s argument")),
  tolist: (values) => {
    const [value] = args("tolist", values, 1);
    return isMap(value!) ? itemsOf(value!, "tolist()'s argument") : toList(value!, "tolist()'s argument");
  },
  tomap: (values) => toMap(args("tomap", values, 1)[0]!, "tomap()'s argument"),
  tostring: (values) => {
    const [value] = args("tostring", values, 1);
    return value === null ? null : toText(value!, "tostring()'s argument");
  },
  tonumber: (values) => {
    const [value] = args("tonumber", values, 1);
    return value === null ? null : toNumber(value!, "tonumber()'s argument");
  },
  tobool: (values) => {
    const [value] = args("tobool", values, 1);
    return value === null ? null : toBool(value!, "tobool()'s argument");
  },
  sum: (values) => {
    const items = itemsOf(args("sum", values, 1)[0]!, "sum()'s argument");
    if (items.length === 0) throw new EvaluationError("sum(): the list is empty");
    return items.reduce<number>((total, item) => total + toNumber(item, "an element given to sum()"), 0);
  },
  matchkeys: (values) => {
    const [items, keys, search] = args("matchkeys", values, 3).map((value) => toList(value, "an argument of matchkeys()"));
    if (items!.length !== keys!.length) throw new EvaluationError("matchkeys(): the values and keys lists must have the same length");
    return items!.filter((_, index) => search!.some((wanted) => equalValues(wanted, keys![index]!)));
  },
};

function flatten(items: readonly Value[], depth = 0): Value[] {
  if (depth > 100) throw new EvaluationError("flatten(): the lists nest too deeply");
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item, depth + 1) : [item]));
}

function range([first, second, third]: Value[]): number[] {
  const [start, end, step] = second === undefined ? [0, first as number, 1] : [first as number, second as number, (third as number | undefined) ?? ((first as number) <= (second as number) ? 1 : -1)];
  if (step === 0) throw new EvaluationError("range(): the step must not be zero");
  if ((step > 0 && start > end) || (step < 0 && start < end)) throw new EvaluationError("range(): the step goes away from the end");
  const count = Math.ceil((end - start) / step);
  if (count > 1024) throw new EvaluationError("range(): more than 1024 elements; Terraform refuses them too");
  return Array.from({ length: Math.max(0, count) }, (_, index) => start + index * step);
}
