// What to register as masks for a secret value before anything could print it: the value, each of
// its lines (the runner matches masks line by line, CVE-2021-32074, and ends a line at CR, LF or
// CRLF), and the encoded forms asked for.

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

/** Every distinct string to mask for `value`, the longest first. */
export function masksFor(value: string, encodings: readonly MaskEncoding[] = []): string[] {
  const lines = value.split(/\r\n|\r|\n/);
  // A value too short to mask has encodings too short to mask safely ("%" → "%25", " " → "IA").
  const encoded = value.trim().length >= shortestMask ? encodings.map((encoding) => encode(value, encoding)) : [];
  const parts = [value, ...lines, ...lines.map((line) => line.trim()), ...encoded];
  return [...new Set(parts)].filter((part) => part.trim().length >= shortestMask).sort((a, b) => b.length - a.length);
}
