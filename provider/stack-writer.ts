// cdk.tf.json without the framework's stable stringifier. cdktf writes the stack's document with
// json-stable-stringify (cdktn with safe-stable-stringify): keys sorted, two-space indent; the
// former builds an array of strings for every object, a fifth of synth for large apps (profiled).
// Here the document is copied with its keys sorted and serialized by JSON.stringify, in pieces
// written one after the other (provider/json-pieces.ts), byte for byte what the framework writes.
// Two places differ and are handled: json-stable-stringify writes an empty object or list as "{"
// or "[", a newline, its line's indent and "}" or "]" (JSON.stringify and cdktn write "{}"), so
// under cdktf an empty one is written as a marker and the marker replaced; and JSON.stringify puts
// integer-like keys ("0", "10") first, so a document holding one is left to the framework's writer.
// The synthesizer stays the framework's: aspects, validations, annotations and the manifest run as
// they always do; only the stack's document is handed over.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { frameworkName, TerraformStack, type ISynthesisSession, type IStackSynthesizer } from "./cdk.ts";
import { fastSynthEnabled } from "./settled.ts";
import { buildWithBodiesAside } from "./bodies-aside.ts";
import { appAddsAspects, makeStackRecords, recordBodies } from "./deferred-resources.ts";
import { arrayIndexKey } from "./canonical-attributes.ts";
import { writeJsonFile, writeJsonPieces } from "./json-pieces.ts";

/**
 * Markers for empty objects and lists: a random part keeps any user value from matching, and the
 * brackets close each. Written by JSON.stringify, each starts with markerPrefix.
 */
const nonce = randomUUID();
const emptyObject = `\u0000keybridge-${nonce}-{}`;
const emptyList = `\u0000keybridge-${nonce}-[]`;
const markerPrefix = JSON.stringify(emptyObject).slice(0, -3);
const markerLength = JSON.stringify(emptyObject).length;
/** Whether empty objects and lists are written over two lines (json-stable-stringify, cdktf's writer). */
const expandsEmpty = frameworkName === "cdktf";
/** Deeper than the resolver goes (200): a cycle, left to the framework's writer to report. */
const maxDepth = 400;

/** What SortedCopy answers for a document JSON.stringify cannot write as the framework's writer does. */
const unsupported = Symbol("unsupported");

/** Copies a document with its keys sorted, taking the values in `asIs` as they are. */
class SortedCopy {
  /** How many empty objects and lists were written as markers. */
  empties = 0;

  constructor(private readonly asIs: ReadonlySet<object>) {}

  value(value: unknown, depth: number): unknown {
    if (typeof value !== "object" || value === null) return value;
    if (depth > maxDepth) return unsupported;
    if (this.asIs.has(value)) return value;
    let node: unknown = value;
    // The library calls toJSON() without arguments, then writes what it returns.
    if (typeof (node as { toJSON?: unknown }).toJSON === "function") {
      node = (node as { toJSON: () => unknown }).toJSON();
      if (typeof node !== "object" || node === null) return node;
    }
    return Array.isArray(node) ? this.list(node, depth) : this.record(node as Record<string, unknown>, depth);
  }

  list(values: readonly unknown[], depth: number): unknown {
    if (values.length === 0) return expandsEmpty ? this.empty(emptyList) : values;
    const copy: unknown[] = new Array(values.length);
    for (let index = 0; index < values.length; index++) {
      const item = this.value(values[index], depth + 1);
      if (item === unsupported) return unsupported;
      // The library writes null for what JSON cannot hold (undefined, a function) in a list.
      copy[index] = item === undefined || typeof item === "function" || typeof item === "symbol" ? null : item;
    }
    return copy;
  }

  record(record: Record<string, unknown>, depth: number): unknown {
    const keys = Object.keys(record).sort();
    const copy: Record<string, unknown> = {};
    let written = 0;
    for (const key of keys) {
      if (arrayIndexKey.test(key)) return unsupported;
      const member = this.value(record[key], depth + 1);
      if (member === unsupported) return unsupported;
      if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
      copy[key] = member;
      written++;
    }
    return written === 0 && expandsEmpty ? this.empty(emptyObject) : copy;
  }

  empty(marker: string): string {
    this.empties++;
    return marker;
  }
}

/** Each marker in the text replaced by its brackets with a newline and the indent of the marker's line between them. */
function expandEmpties(text: string): { readonly expanded: string; readonly found: number } {
  const pieces: string[] = [];
  let from = 0;
  for (let at = text.indexOf(markerPrefix); at !== -1; at = text.indexOf(markerPrefix, from)) {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    let indentEnd = lineStart;
    while (text.charCodeAt(indentEnd) === 32) indentEnd++;
    const brackets = text.slice(at + markerPrefix.length, at + markerPrefix.length + 2);
    pieces.push(text.slice(from, at), `${brackets[0]}\n${text.slice(lineStart, indentEnd)}${brackets[1]}`);
    from = at + markerLength;
  }
  if (pieces.length === 0) return { expanded: text, found: 0 };
  pieces.push(text.slice(from));
  return { expanded: pieces.join(""), found: (pieces.length - 1) / 2 };
}

/** Expands the markers piece by piece until all `count` are found; the pieces after are not searched. */
function markerExpander(count: number): ((text: string) => string) | undefined {
  if (count === 0) return undefined;
  let left = count;
  return (text) => {
    if (left === 0) return text;
    const { expanded, found } = expandEmpties(text);
    left -= found;
    return expanded;
  };
}

/** A document copied with its keys sorted, ready to be written; how many empty objects and lists it holds as markers. */
interface SortedDocument {
  readonly value: unknown;
  readonly empties: number;
}

/**
 * The document sorted for the writer, or undefined when it holds an integer-like key or is nested
 * too deep (then the framework writes it). `asIs` holds values known to be plain JSON with keys
 * sorted all the way down, no empty object or list and no integer-like key.
 */
function sortedDocument(document: unknown, asIs: ReadonlySet<object>): SortedDocument | undefined {
  const copy = new SortedCopy(asIs);
  const value = copy.value(document, 0);
  return value === unsupported || value === undefined ? undefined : { value, empties: copy.empties };
}

/** How the document is cut in pieces: walked down to the resource types, whose bodies are stringified a few hundred at a time. */
const pieceOptions = ({ empties }: SortedDocument) => ({ walkedDepth: 2, finish: markerExpander(empties) });

/** The document as the framework's writer writes it, or undefined when the framework must write it. */
export function stableJson(document: unknown, asIs: ReadonlySet<object> = new Set()): string | undefined {
  const sorted = sortedDocument(document, asIs);
  if (!sorted) return undefined;
  const pieces: string[] = [];
  writeJsonPieces(sorted.value, { ...pieceOptions(sorted), write: (piece) => pieces.push(piece) });
  return pieces.join("");
}

/** The synthesizer the framework gave every stack (not a wrapper around it, whose work we cannot see). */
function isFrameworkSynthesizer(synthesizer: IStackSynthesizer): boolean {
  return synthesizer.constructor.name === "StackSynthesizer" && (synthesizer as { hclOutput?: boolean }).hclOutput !== true;
}

/**
 * Runs the framework's synthesizer for the stack, but writes cdk.tf.json here: while it runs, the stack's
 * toTerraform() hands the synthesizer an empty document (which it writes and this overwrites) and
 * keeps the real one, built with our elements' bodies put aside (provider/settled-elements.ts) and
 * the bodies of resources still records (provider/deferred-resources.ts). A synthesizer that is not
 * the framework's own, and KEYBRIDGE_SYNTH=framework, run untouched, on the records made first; in
 * an app that adds an aspect the records are made first too. (A stack whose own overrides write
 * into resources gets them made by buildWithBodiesAside(), before the framework builds its document.)
 */
export function synthesizeStack(stack: TerraformStack, synthesizer: IStackSynthesizer, session: ISynthesisSession): void {
  const fast = fastSynthEnabled() && isFrameworkSynthesizer(synthesizer);
  if (!fast || appAddsAspects(stack)) makeStackRecords(stack);
  if (!fast) {
    synthesizer.synthesize(session);
    return;
  }
  const own = Object.getOwnPropertyDescriptor(stack, "toTerraform");
  const toTerraform = stack.toTerraform.bind(stack);
  let sorted: SortedDocument | undefined;
  stack.toTerraform = () => {
    const { document, asIs } = buildWithBodiesAside(stack, toTerraform, { bodies: () => recordBodies(stack), make: () => makeStackRecords(stack) });
    sorted = sortedDocument(document, asIs);
    return sorted === undefined ? document : {};
  };
  try {
    synthesizer.synthesize(session);
  } finally {
    if (own) Object.defineProperty(stack, "toTerraform", own);
    else delete (stack as { toTerraform?: unknown }).toTerraform;
  }
  if (sorted !== undefined) writeJsonFile(join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath), sorted.value, pieceOptions(sorted));
}
