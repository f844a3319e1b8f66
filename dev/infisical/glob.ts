// Glob patterns with picomatch's default semantics, which Infisical applies to OIDC bound
// subjects, audiences and claims and to `$glob` permission conditions: `*` and `?` never match
// "/", a segment that is exactly `**` spans any number of segments (none included), `[...]` is a
// character class (`[!...]`/`[^...]` negated), `{a,b}` are alternatives, `\` escapes, a leading
// `!` negates the whole pattern, and a wildcard never matches the "." that starts a segment.
// Vault's glob (go-glob) differs: there `*` crosses "/", so "repo:acme/*" matches
// "repo:acme/a/b" in Vault and does not here. Not supported: extglobs (`+(a|b)`), POSIX classes
// and numeric ranges `{1..3}`; they match literally.

const maxCached = 1_000;
const maxAlternatives = 256;
const cache = new Map<string, RegExp>();

const anySegments = "(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*";

function escapeRegex(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

/** The index of the "]" that closes the class opened at `open`, or -1. */
function classEnd(text: string, open: number): number {
  let i = open + 1;
  if (text[i] === "!" || text[i] === "^") i++;
  if (text[i] === "]") i++;
  for (; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "]") return i;
  }
  return -1;
}

function compileClass(body: string): string {
  const negated = body.startsWith("!") || body.startsWith("^");
  const members = (negated ? body.slice(1) : body).replace(/\\(.)/g, "$1").replace(/[\\\]]/g, "\\$&");
  return negated ? `[^/${members}]` : `[${members}]`;
}

function compileSegment(segment: string): string {
  // A segment of stars alone needs at least one character: "a/*" does not match "a/".
  if (/^\*+$/.test(segment)) return "(?!\\.)[^/]+";
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    const noDot = i === 0 ? "(?!\\.)" : "";
    if (char === "\\" && i + 1 < segment.length) {
      out += escapeRegex(segment[++i]!);
    } else if (char === "*") {
      while (segment[i + 1] === "*") i++;
      out += `${noDot}[^/]*`;
    } else if (char === "?") {
      out += `${noDot}[^/]`;
    } else if (char === "[" && classEnd(segment, i) > 0) {
      const end = classEnd(segment, i);
      out += compileClass(segment.slice(i + 1, end));
      i = end;
    } else {
      out += escapeRegex(char);
    }
  }
  return out;
}

function compileAlternative(pattern: string): string {
  const segments = pattern.split("/");
  const last = segments.length - 1;
  let out = "";
  segments.forEach((segment, index) => {
    if (segment === "**") {
      // Inside the pattern: zero or more whole segments; at its end: optionally "/" and anything.
      if (index < last) out += "(?:(?!\\.)[^/]+/)*";
      else out += index === 0 ? anySegments : `(?:/${anySegments})?`;
      return;
    }
    out += compileSegment(segment);
    const trailingGlobstar = index + 1 === last && segments[last] === "**";
    if (index < last && !trailingGlobstar) out += "/";
  });
  return out;
}

/** `{a,b}` alternatives, nested ones included; a brace without a top-level comma is literal. */
export function expandBraces(pattern: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\") {
      i++;
      continue;
    }
    if (char === "[") {
      const end = classEnd(pattern, i);
      if (end > 0) i = end;
      continue;
    }
    if (char !== "{") continue;
    let depth = 0;
    let close = -1;
    const commas: number[] = [];
    for (let j = i; j < pattern.length && close < 0; j++) {
      const inner = pattern[j];
      if (inner === "\\") j++;
      else if (inner === "{") depth++;
      else if (inner === "}" && --depth === 0) close = j;
      else if (inner === "," && depth === 1) commas.push(j);
    }
    if (close < 0 || commas.length === 0) continue;
    const prefix = pattern.slice(0, i);
    const suffix = pattern.slice(close + 1);
    const bounds = [i, ...commas, close];
    const results: string[] = [];
    for (let k = 0; k < bounds.length - 1 && results.length < maxAlternatives; k++) {
      results.push(...expandBraces(prefix + pattern.slice(bounds[k]! + 1, bounds[k + 1]) + suffix));
    }
    return results.slice(0, maxAlternatives);
  }
  return [pattern];
}

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let body = pattern;
  let negated = false;
  // "!(" starts an extglob in picomatch, not a negation.
  while (body.startsWith("!") && !body.startsWith("!(")) {
    negated = !negated;
    body = body.slice(1);
  }
  const alternatives = expandBraces(body).map(compileAlternative).join("|");
  const regex = new RegExp(negated ? `^(?!(?:${alternatives})$).*$` : `^(?:${alternatives})$`, "s");
  if (cache.size >= maxCached) cache.clear();
  cache.set(pattern, regex);
  return regex;
}

/** picomatch.isMatch(value, pattern); an empty value or pattern never matches. */
export function globMatch(value: string, pattern: string): boolean {
  if (value === "" || pattern === "") return false;
  return globToRegExp(pattern).test(value);
}
