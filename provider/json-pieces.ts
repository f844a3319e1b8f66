// JSON.stringify(value, null, 2), handed out in pieces instead of as one string, or written to a
// file so. A synth's
// documents are tens of megabytes: one string that size is built in parts the garbage collector
// copies while the rest of synth is live, then flattened again to be written. In pieces, each is
// written and dropped. The outer levels are walked here; below them, entries are stringified by
// JSON.stringify in groups, nested in wrappers so that their lines come out at their real indent,
// and the wrappers' lines cut off. The pieces, joined, are byte for byte JSON.stringify's text.

import { closeSync, openSync, writeSync } from "node:fs";

/** Entries stringified together below the walked levels: pieces of a few hundred kilobytes for our bodies. */
const entriesPerPiece = 256;

const indents: string[] = [];
function indent(depth: number): string {
  return (indents[depth] ??= " ".repeat(depth * 2));
}

/** A value inside `depth` wrappers, so that JSON.stringify writes it at that depth. */
function wrapped(value: unknown, depth: number): unknown {
  let wrapper = value;
  for (let level = 0; level < depth; level++) wrapper = { "": wrapper };
  return wrapper;
}

/** How many characters the wrappers of each depth write before and after the value. */
const framing: { readonly before: number; readonly after: number }[] = [];
function framingAt(depth: number): { readonly before: number; readonly after: number } {
  let frame = framing[depth];
  if (!frame) {
    // The wrappers around 0 hold no other digit: the value is where the 0 is.
    const text = JSON.stringify(wrapped(0, depth), null, 2);
    const before = text.indexOf("0");
    frame = framing[depth] = { before, after: text.length - before - 1 };
  }
  return frame;
}

export interface PieceOptions {
  /** Receives each piece, in order. */
  readonly write: (piece: string) => void;
  /** Containers above this depth are walked entry by entry; those at it are stringified in groups of entries. */
  readonly walkedDepth: number;
  /** Rewrites the text of a value written at its real indent (whole lines) before it is cut to a piece. @default as it is */
  readonly finish?: (text: string) => string;
}

/** The text JSON.stringify writes for `value` when it sits at `depth` (its first line without the indent). */
function textAt(value: unknown, depth: number, finish: ((text: string) => string) | undefined): string {
  const whole = JSON.stringify(wrapped(value, depth), null, 2);
  const text = finish ? finish(whole) : whole;
  if (depth === 0) return text;
  const { before, after } = framingAt(depth);
  return text.slice(before, text.length - after);
}

/** A few entries of an object (keys in its order) or items of a list, as a value of their own. */
function group(container: object, keys: readonly string[] | undefined, from: number, to: number): object {
  if (!keys) return (container as unknown[]).slice(from, to);
  // No prototype: a "__proto__" key stays a key.
  const entries: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (let index = from; index < to; index++) entries[keys[index]!] = (container as Record<string, unknown>)[keys[index]!];
  return entries;
}

/** What JSON.stringify leaves out of an object, and writes as null in a list. */
function unwritable(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function writeEntries(container: object, depth: number, keys: readonly string[] | undefined, options: PieceOptions): void {
  const count = keys ? keys.length : (container as unknown[]).length;
  const { write } = options;
  write(keys ? "{\n" : "[\n");
  if (depth < options.walkedDepth) {
    for (let index = 0; index < count; index++) {
      if (index > 0) write(",\n");
      write(keys ? `${indent(depth + 1)}${JSON.stringify(keys[index])}: ` : indent(depth + 1));
      const item = keys ? (container as Record<string, unknown>)[keys[index]!] : (container as unknown[])[index];
      if (unwritable(item)) write("null");
      else writeValue(item, depth + 1, options);
    }
  } else {
    // A group's text is its brackets around the entries' lines: "{\n", then "\n", the indent and "}".
    const closing = 2 + depth * 2;
    for (let from = 0; from < count; from += entriesPerPiece) {
      if (from > 0) write(",\n");
      const text = textAt(group(container, keys, from, Math.min(count, from + entriesPerPiece)), depth, options.finish);
      write(text.slice(2, text.length - closing));
    }
  }
  write(`\n${indent(depth)}${keys ? "}" : "]"}`);
}

function writeValue(value: unknown, depth: number, options: PieceOptions): void {
  // Only plain data is walked: anything JSON.stringify would treat specially (toJSON) is its own.
  if (typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    const keys = Array.isArray(value) ? undefined : Object.keys(value).filter((key) => !unwritable((value as Record<string, unknown>)[key]));
    if ((keys ?? (value as unknown[])).length > 0) {
      writeEntries(value, depth, keys, options);
      return;
    }
  }
  options.write(textAt(value, depth, options.finish));
}

/** Writes JSON.stringify(value, null, 2) in pieces (`value` is one JSON.stringify writes: not undefined). */
export function writeJsonPieces(value: unknown, options: PieceOptions): void {
  writeValue(value, 0, options);
}

/** Small pieces are gathered into a buffer of this many bytes per write call; larger ones are written alone. */
const writeLength = 1 << 16;

/** Writes all of `bytes`: one write may take fewer (a full disk, a signal), and what it left out would be lost unseen. */
function writeAll(descriptor: number, bytes: Uint8Array, length = bytes.length): void {
  for (let at = 0; at < length; ) {
    const written = writeSync(descriptor, bytes, at, length - at);
    if (written === 0) throw new Error("the file takes no more bytes");
    at += written;
  }
}

/** Writes JSON.stringify(value, null, 2) and then `end` to the file, in pieces. */
export function writeJsonFile(file: string, value: unknown, options: Omit<PieceOptions, "write"> & { readonly end?: string }): void {
  const descriptor = openSync(file, "w");
  try {
    // Gathered as bytes outside the JavaScript heap, not as strings joined there: a synth writes
    // tens of megabytes, and each joined string was garbage to collect.
    const buffer = Buffer.allocUnsafe(writeLength);
    let length = 0;
    const flush = () => {
      writeAll(descriptor, buffer, length);
      length = 0;
    };
    const write = (piece: string) => {
      // UTF-8 takes at most three bytes for each UTF-16 unit.
      if (piece.length * 3 > writeLength - length) {
        if (length > 0) flush();
        if (piece.length * 3 > writeLength) {
          writeAll(descriptor, Buffer.from(piece));
          return;
        }
      }
      length += buffer.write(piece, length);
    };
    writeJsonPieces(value, { ...options, write });
    if (options.end) write(options.end);
    if (length > 0) flush();
  } finally {
    closeSync(descriptor);
  }
}
