// Infisical's globs (picomatch): `*` and `?` stay within one path segment, `**` crosses segments
// (and `/**` at the end also matches the folder itself), `{a,b}` is any of. Written for the access
// graph apart from the dev backend's matcher, so a test can compare the two.

const cache = new Map<string, RegExp>();

export function infisicalGlob(pattern: string, value: string): boolean {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${translate(pattern)}$`);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled.test(value);
}

/** Exact equality, or the glob (Infisical tries both). */
export const infisicalMatches = (pattern: string, value: string) => pattern === value || infisicalGlob(pattern, value);

function translate(pattern: string): string {
  let out = "";
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at]!;
    if (char === "*" && pattern[at + 1] === "*") {
      const wholeSegment = (at === 0 || pattern[at - 1] === "/") && (at + 2 === pattern.length || pattern[at + 2] === "/");
      if (wholeSegment && at > 0 && at + 2 === pattern.length) {
        // "a/**": the folder itself or anything below it.
        out = `${out.slice(0, -1)}(?:/.*)?`;
      } else if (wholeSegment && pattern[at + 2] === "/") {
        out += "(?:[^/]*/)*";
        at += 1;
      } else out += ".*";
      at += 1;
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "{") {
      const close = pattern.indexOf("}", at);
      if (close < 0) out += "\\{";
      else {
        out += `(?:${pattern.slice(at + 1, close).split(",").map(translate).join("|")})`;
        at = close;
      }
    } else out += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}
