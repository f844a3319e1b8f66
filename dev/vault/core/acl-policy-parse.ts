// Reads Vault ACL policy text: the HCL subset policies are written in
//   path "secret/data/app/*" { capabilities = ["read", "list"] }
// with #, // and /* */ comments, and the JSON form {"path": {"<pattern>": {"capabilities": [...]}}}.
// Keys Vault knows but this backend does not enforce (allowed_parameters, …) are refused rather
// than silently ignored, so a policy never grants more here than it would on Vault.
import { withCode } from "../../../policy/errors/keybridge-error.ts";

export const capabilities = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"] as const;
export type Capability = (typeof capabilities)[number];

export interface PathRule {
  readonly pattern: string;
  readonly capabilities: ReadonlySet<Capability>;
}

export class PolicyParseError extends withCode("KB_DEV_CONFIG_INVALID") {}

/** Vault's legacy `policy = "…"` shorthand. */
const legacyPolicies: Readonly<Record<string, readonly Capability[]>> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

const unenforcedKeys = new Set([
  "allowed_parameters",
  "denied_parameters",
  "required_parameters",
  "min_wrapping_ttl",
  "max_wrapping_ttl",
  "mfa_methods",
  "control_group",
  "subscribe_event_types",
]);

export function parsePolicy(text: string): PathRule[] {
  return text.trimStart().startsWith("{") ? parseJsonPolicy(text) : parseHclPolicy(text);
}

function ruleFrom(pattern: string, fields: Readonly<Record<string, unknown>>, lineOf: (key: string) => string): PathRule {
  const granted = new Set<Capability>();
  for (const [key, value] of Object.entries(fields)) {
    const where = lineOf(key);
    if (key === "capabilities") {
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        throw new PolicyParseError(`${where}path "${pattern}": capabilities must be a list of strings`);
      }
      for (const name of value as string[]) {
        if (!(capabilities as readonly string[]).includes(name)) {
          throw new PolicyParseError(`${where}path "${pattern}": invalid capability "${name}"`);
        }
        granted.add(name as Capability);
      }
    } else if (key === "policy") {
      const legacy = typeof value === "string" ? legacyPolicies[value] : undefined;
      if (!legacy) throw new PolicyParseError(`${where}path "${pattern}": invalid policy ${JSON.stringify(value)}`);
      for (const name of legacy) granted.add(name);
    } else if (unenforcedKeys.has(key)) {
      throw new PolicyParseError(
        `${where}path "${pattern}": "${key}" is not supported by keybridge dev; remove it or try this policy on a real Vault`,
      );
    } else {
      throw new PolicyParseError(`${where}path "${pattern}": invalid key "${key}"`);
    }
  }
  return { pattern, capabilities: granted };
}

function parseJsonPolicy(text: string): PathRule[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new PolicyParseError("the policy starts with { but is not valid JSON");
  }
  const paths = isObject(document) ? document.path : undefined;
  const unknownTop = isObject(document) ? Object.keys(document).filter((key) => key !== "path") : [];
  if (unknownTop.length > 0) throw new PolicyParseError(`invalid key "${unknownTop[0]}"`);
  if (!isObject(paths)) throw new PolicyParseError(`expected {"path": {"<pattern>": {"capabilities": [...]}}}`);
  return Object.entries(paths).map(([pattern, fields]) => {
    if (!isObject(fields)) throw new PolicyParseError(`path "${pattern}": expected an object`);
    return ruleFrom(pattern, fields, () => "");
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- HCL subset ---------------------------------------------------------------------------------

interface Token {
  readonly kind: "word" | "string" | "punct";
  readonly text: string;
  readonly line: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const fail = (message: string): never => {
    throw new PolicyParseError(`line ${line}: ${message}`);
  };
  while (i < source.length) {
    const char = source[i]!;
    if (char === "\n") {
      line++;
      i++;
    } else if (/\s/.test(char)) {
      i++;
    } else if (char === "#" || source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated /* comment");
      for (const c of source.slice(i, end)) if (c === "\n") line++;
      i = end + 2;
    } else if (char === '"') {
      let text = "";
      i++;
      for (;;) {
        const c = source[i];
        if (c === undefined || c === "\n") fail("unterminated string");
        if (c === '"') break;
        if (c === "\\") {
          const escaped = source[i + 1];
          const simple: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r", "/": "/" };
          if (escaped !== undefined && escaped in simple) {
            text += simple[escaped];
            i += 2;
          } else if (escaped === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            text += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            fail(`invalid escape \\${escaped ?? ""} in string`);
          }
        } else {
          text += c;
          i++;
        }
      }
      i++;
      tokens.push({ kind: "string", text, line });
    } else if ("{}[]=,".includes(char)) {
      tokens.push({ kind: "punct", text: char, line });
      i++;
    } else if (/[A-Za-z_]/.test(char)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_-]/.test(source[i]!)) i++;
      tokens.push({ kind: "word", text: source.slice(start, i), line });
    } else {
      fail(`unexpected character ${JSON.stringify(char)}`);
    }
  }
  return tokens;
}

function parseHclPolicy(source: string): PathRule[] {
  const tokens = tokenize(source);
  let position = 0;
  const lastLine = tokens.at(-1)?.line ?? 1;
  const peek = (): Token | undefined => tokens[position];
  const fail = (message: string, token = peek()): never => {
    throw new PolicyParseError(`line ${token?.line ?? lastLine}: ${message}`);
  };
  const expect = (kind: Token["kind"], text?: string): Token => {
    const token = peek();
    if (!token || token.kind !== kind || (text !== undefined && token.text !== text)) {
      fail(`expected ${text ? `"${text}"` : kind} but found ${token ? JSON.stringify(token.text) : "the end of the policy"}`);
    }
    position++;
    return token!;
  };

  const rules: PathRule[] = [];
  while (peek()) {
    const keyword = expect("word");
    if (keyword.text !== "path") fail(`invalid key "${keyword.text}"`, keyword);
    const pattern = expect("string").text;
    expect("punct", "{");
    const fields: Record<string, unknown> = {};
    const fieldLines: Record<string, number> = {};
    while (peek()?.text !== "}") {
      const key = expect("word");
      expect("punct", "=");
      fields[key.text] = parseValue();
      fieldLines[key.text] = key.line;
      if (peek()?.text === ",") position++;
    }
    expect("punct", "}");
    rules.push(ruleFrom(pattern, fields, (key) => `line ${fieldLines[key]}: `));
  }
  return rules;

  function parseValue(): unknown {
    const token = peek();
    if (token?.kind === "string") {
      position++;
      return token.text;
    }
    if (token?.text === "[") {
      position++;
      const items: string[] = [];
      while (peek()?.text !== "]") {
        items.push(expect("string").text);
        if (peek()?.text === ",") position++;
        else if (peek()?.text !== "]") fail(`expected "," or "]" in the list`);
      }
      position++;
      return items;
    }
    if (token?.text === "{") {
      // Only the unenforced keys take maps; skip the map so the caller can name the key.
      let depth = 0;
      do {
        const current = peek() ?? fail("unterminated {");
        if (current.text === "{") depth++;
        if (current.text === "}") depth--;
        position++;
      } while (depth > 0);
      return {};
    }
    return fail(`expected a string, a list or a map but found ${token ? JSON.stringify(token.text) : "the end of the policy"}`);
  }
}
