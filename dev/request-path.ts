// Turns the URL path of a request into the clean path the server dispatches on (and Vault routes
// and checks policies on). Percent-
// decoding happens exactly once (so %2F is a slash and %252F stays a literal "%2F"), then the
// path is cleaned the way Go's ServeMux cleans it for Vault: a path with "." or ".." segments or
// repeated slashes is never served; the client gets a 301 to the clean path instead, so the ACL
// only ever sees clean paths and no spelling of a path can reach around a policy.

export type PathOutcome =
  | { readonly kind: "ok"; readonly path: string }
  | { readonly kind: "redirect"; readonly location: string }
  | { readonly kind: "bad"; readonly message: string };

/** A "." or ".." segment, or an empty one (a doubled slash): the only things cleaning changes after the leading "/". */
const uncleanSegment = /\/\.{0,2}(?:\/|$)/;

/** Go's path.Clean plus ServeMux's rule of keeping a trailing slash. */
export function cleanPath(path: string): string {
  // Most paths are clean already: tell so without splitting them (a trailing "/" alone is kept).
  if (path.startsWith("/") && !uncleanSegment.test(path.endsWith("/") ? path.slice(0, -1) : path)) return path;
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") kept.pop();
    else kept.push(segment);
  }
  const cleaned = `/${kept.join("/")}`;
  return path.endsWith("/") && cleaned !== "/" ? `${cleaned}/` : cleaned;
}

export function resolveRequestPath(rawPathname: string, rawQuery: string): PathOutcome {
  let decoded: string;
  try {
    decoded = rawPathname.includes("%") ? decodeURIComponent(rawPathname) : rawPathname;
  } catch {
    return { kind: "bad", message: "invalid URL escape in the request path" };
  }
  const cleaned = cleanPath(decoded);
  if (cleaned !== decoded) {
    const location = cleaned.split("/").map(encodeURIComponent).join("/");
    return { kind: "redirect", location: rawQuery ? `${location}?${rawQuery}` : location };
  }
  return { kind: "ok", path: decoded };
}
