// Terraform's string templates in JSON: "${…}" interpolations, "$${" and "%%{" escapes, "%{…}"
// directives. The only expression resolved here is a reference to another resource's attribute,
// `type.name.attr` or `data.type.name.attr` (with `.key`/`[0]` steps after it); everything else
// (functions, var., local., count., each., splats, operators) is reported with what to do.

export interface Reference {
  /** "vault_mount.kv" or "data.vault_auth_backend.sso". */
  readonly address: string;
  /** The attribute and any steps into it: ["path"], ["options", "version"], ["policies", 0]. */
  readonly attribute: readonly (string | number)[];
}

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "ref"; readonly ref: Reference; readonly source: string }
  | { readonly kind: "bad"; readonly source: string; readonly reason: string };

const identifier = "[A-Za-z_][A-Za-z0-9_-]*";
const referenceShape = new RegExp(`^(data\\.)?(${identifier})\\.(${identifier})((?:\\.${identifier}|\\.\\d+|\\[\\d+\\]|\\["[^"\\\\]*"\\])*)$`);
const stepShape = new RegExp(`\\.(${identifier})|\\.(\\d+)|\\[(\\d+)\\]|\\["([^"\\\\]*)"\\]`, "g");

/** Reasons for the expressions people write most often, by their first word. */
const unsupportedRoots: Readonly<Record<string, string>> = {
  var: "an input variable: keybridge dev cannot supply variable values; write the value itself",
  local: "a local value: write the value itself",
  count: "count.index: declare one resource per instance instead of count",
  each: "each.*: declare one resource per instance instead of for_each",
  path: "a path.* value: write the value itself",
  terraform: "a terraform.* value: write the value itself",
  module: "a module output: modules are not supported; apply the module's resources directly",
  self: "a self reference: write the value itself",
};

/** Shortened for messages: an expression is code, not a secret, but may be long. */
function shown(source: string): string {
  return source.length > 60 ? `${source.slice(0, 57)}...` : source;
}

export function parseExpression(expression: string): { ref: Reference } | { reason: string } {
  const text = expression.trim().replace(/^~\s*/, "").replace(/\s*~$/, "");
  if (/\(/.test(text)) return { reason: "a function call; write the value it computes" };
  if (/\[\*\]|\.\*/.test(text)) return { reason: "a splat expression; reference each attribute you need" };
  const root = /^([A-Za-z_][A-Za-z0-9_-]*)\./.exec(text)?.[1];
  if (root !== undefined && unsupportedRoots[root]) return { reason: unsupportedRoots[root] };
  const match = referenceShape.exec(text);
  if (!match) return { reason: "not a reference to a resource attribute; write the value itself or ${type.name.attribute}" };
  const [, data, type, name, rest = ""] = match;
  const attribute: (string | number)[] = [];
  for (const [, key, dotIndex, index, quoted] of rest.matchAll(stepShape)) {
    attribute.push(key ?? quoted ?? Number(dotIndex ?? index));
  }
  if (attribute.length === 0 || typeof attribute[0] !== "string") {
    return { reason: `a whole resource; name the attribute you need, e.g. \${${data ?? ""}${type}.${name}.id}` };
  }
  return { ref: { address: `${data ?? ""}${type}.${name}`, attribute } };
}

/** The end of the "${…}" that starts at `open` (the index of "$"), or -1: braces nest, quoted strings are skipped. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (char === "{") {
      depth++;
    } else if (char === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  const flush = () => {
    if (literal !== "") parts.push({ kind: "text", text: literal });
    literal = "";
  };
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      literal += `${text[i]}{`;
      i += 3;
    } else if (text.startsWith("${", i) || text.startsWith("%{", i)) {
      const end = closingBrace(text, i);
      flush();
      if (end < 0) {
        parts.push({ kind: "bad", source: shown(text.slice(i)), reason: "an unterminated interpolation; close it with }" });
        return parts;
      }
      const source = text.slice(i, end + 1);
      if (text[i] === "%") {
        parts.push({ kind: "bad", source: shown(source), reason: "a template directive; write the text it produces" });
      } else {
        const parsed = parseExpression(text.slice(i + 2, end));
        parts.push("ref" in parsed ? { kind: "ref", ref: parsed.ref, source } : { kind: "bad", source: shown(source), reason: parsed.reason });
      }
      i = end + 1;
    } else {
      literal += text[i];
      i++;
    }
  }
  flush();
  return parts;
}
