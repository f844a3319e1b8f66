// What to register as masks for a secret value before anything could print it: the value, each of
// its lines (the runner matches masks line by line, CVE-2021-32074, and ends a line at CR, LF or
// CRLF), and the encoded forms asked for. A JSON value is also masked by its string leaves, since
// a later step prints one field of it (`jq -r .password`), which no mask of the whole would hide.

export const maskEncodings = ["base64", "base64url", "url", "json"] as const;
export type MaskEncoding = (typeof maskEncodings)[number];

/** A one-character mask would blank that character in every later log line, so none is shorter. */
export const shortestMask = 2;

function encode(value: string, encoding: MaskEncoding): string {
  switch (encoding) {
    case "base64":
      return Buffer.from(value, "utf8").toString("base64");
    case "base64url":
      return Buffer.from(value, "utf8").toString("base64url");
    case "url":
      return encodeURIComponent(value);
    case "json":
      return JSON.stringify(value).slice(1, -1);
  }
}

/** Masks for more leaves than this would flood the log with add-mask lines; the rest stay whole-value masked. */
export const mostJsonLeaves = 1000;

/** The string leaves of a value that is a JSON object or array, breadth first, at most mostJsonLeaves. */
export function jsonStringLeaves(value: string): string[] {
  const text = value.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON, or nested too deep to parse (RangeError): the value's own masks still apply.
    return [];
  }
  const leaves: string[] = [];
  const queue: unknown[] = [parsed];
  for (let next = 0; next < queue.length && leaves.length < mostJsonLeaves; next++) {
    const node = queue[next];
    if (typeof node === "string") leaves.push(node);
    else if (node !== null && typeof node === "object") for (const child of Object.values(node)) queue.push(child);
  }
  return leaves;
}

/** A piece of a secret as a log could show it: whole, line by line, and in the encodings asked for. */
function formsOf(piece: string, encodings: readonly MaskEncoding[]): string[] {
  const lines = piece.split(/\r\n|\r|\n/);
  // A piece too short to mask has encodings too short to mask safely ("%" → "%25", " " → "IA").
  const encoded = piece.trim().length >= shortestMask ? encodings.map((encoding) => encode(piece, encoding)) : [];
  return [piece, ...lines, ...lines.map((line) => line.trim()), ...encoded];
}

/** Every distinct string to mask for `value`, the longest first. */
export function masksFor(value: string, encodings: readonly MaskEncoding[] = []): string[] {
  // A leaf as `jq .field` prints it: JSON-escaped inside quotes.
  const leaves = jsonStringLeaves(value).flatMap((leaf) => [leaf, JSON.stringify(leaf).slice(1, -1)]);
  const parts = [value, ...leaves].flatMap((piece) => formsOf(piece, encodings));
  return [...new Set(parts)].filter((part) => part.trim().length >= shortestMask).sort((a, b) => b.length - a.length);
}
