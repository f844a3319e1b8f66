// Infisical's globs, picomatch's defaults: `*` and `?` stay inside one segment and never match the
// "." a segment starts with; a segment of stars alone needs a character; a segment that is exactly
// `**` stands for any number of segments, none included; `[…]` is a class (`[!…]` negated),
// `{a,b}` any of, a leading `!` negates the pattern, and an empty value or pattern matches nothing.
// Written for the access graph apart from the dev backend's matcher, so a test can compare them.

const cache = new Map<string, RegExp>();

export function infisicalGlob(pattern: string, value: string): boolean {
  if (pattern === "" || value === "") return false;
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled.test(value);
}

/** Exact equality, or the glob (Infisical tries both). */
export const infisicalMatches = (pattern: string, value: string) => pattern === value || infisicalGlob(pattern, value);

function compile(pattern: string): RegExp {
  let negate = false;
  let body = pattern;
  while (body.startsWith("!") && !body.startsWith("!(")) {
    negate = !negate;
    body = body.slice(1);
  }
  const source = alternatives(body).map(pathSource).join("|");
  return new RegExp(negate ? `^(?!(?:${source})$).*$` : `^(?:${source})$`, "s");
}

/** `{a,b}` expanded (nested too, at most 256 alternatives); a brace without a comma stays literal. */
function alternatives(pattern: string): string[] {
  const open = topLevelBrace(pattern);
  if (!open) return [pattern];
  const [start, end, commas] = open;
  const cuts = [start, ...commas, end];
  const out: string[] = [];
  for (let index = 0; index + 1 < cuts.length && out.length < 256; index += 1) {
    out.push(...alternatives(pattern.slice(0, start) + pattern.slice(cuts[index]! + 1, cuts[index + 1]) + pattern.slice(end + 1)));
  }
  return out.slice(0, 256);
}

function topLevelBrace(pattern: string): [number, number, number[]] | undefined {
  for (let start = pattern.indexOf("{"); start >= 0; start = pattern.indexOf("{", start + 1)) {
    if (pattern[start - 1] === "\\") continue;
    let depth = 0;
    const commas: number[] = [];
    for (let at = start; at < pattern.length; at += 1) {
      const char = pattern[at];
      if (char === "\\") at += 1;
      else if (char === "{") depth += 1;
      else if (char === "," && depth === 1) commas.push(at);
      else if (char === "}" && (depth -= 1) === 0) {
        if (commas.length > 0) return [start, at, commas];
        break;
      }
    }
  }
  return undefined;
}

const segmentChars = "(?!\\.)[^/]";

function pathSource(pattern: string): string {
  const segments = pattern.split("/");
  let out = "";
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // Zero or more whole segments; at the end also the folder itself ("a/**" matches "a").
      if (!last) out += `(?:${segmentChars}+/)*`;
      else out = index === 0 ? `${segmentChars}*(?:/${segmentChars}*)*` : `${out.replace(/\/$/, "")}(?:/${segmentChars}*(?:/${segmentChars}*)*)?`;
      return;
    }
    out += segmentSource(segment) + (last ? "" : "/");
  });
  return out;
}

function segmentSource(segment: string): string {
  if (/^\*+$/.test(segment)) return `${segmentChars}+`;
  let out = "";
  for (let at = 0; at < segment.length; at += 1) {
    const char = segment[at]!;
    const start = at === 0 ? "(?!\\.)" : "";
    if (char === "\\" && at + 1 < segment.length) out += escape(segment[(at += 1)]!);
    else if (char === "*") {
      while (segment[at + 1] === "*") at += 1;
      out += `${start}[^/]*`;
    } else if (char === "?") out += `${start}[^/]`;
    else if (char === "[" && segment.indexOf("]", at + 2) > 0) {
      const close = segment.indexOf("]", at + 2);
      const inner = segment.slice(at + 1, close);
      const negated = inner.startsWith("!") || inner.startsWith("^");
      const members = (negated ? inner.slice(1) : inner).replace(/[\\\]]/g, "\\$&");
      out += negated ? `[^/${members}]` : `[${members}]`;
      at = close;
    } else out += escape(char);
  }
  return out;
}

const escape = (char: string) => (/[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char);
