// Reads a Vault ACL policy as Vault stores it (HCL, or the same structure as JSON) into path
// rules. Only the parts that decide access are kept: each `path` block's capabilities (and the
// legacy `policy = "read|write|deny|sudo"` shorthand). Written for the access graph, apart from
// the dev backend's own parser on purpose: a test compares what the two decide.

export type VaultCapability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny" | "subscribe";

export interface VaultPathRule {
  readonly pattern: string;
  readonly capabilities: readonly VaultCapability[];
}

export class PolicyTextError extends Error {}

const knownCapabilities = new Set<string>(["create", "read", "update", "patch", "delete", "list", "sudo", "deny", "subscribe", "root"]);
const legacyPolicies: Readonly<Record<string, readonly VaultCapability[]>> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "patch", "delete", "list"],
  sudo: ["create", "read", "update", "patch", "delete", "list", "sudo"],
};

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export function parseVaultPolicy(text: string): VaultPathRule[] {
  const trimmed = text.trim();
  const body = trimmed.startsWith("{") ? jsonBody(trimmed) : new HclReader(text).body();
  return rulesFrom(body);
}

function jsonBody(text: string): Record<string, Value> {
  try {
    return JSON.parse(text) as Record<string, Value>;
  } catch {
    throw new PolicyTextError("the policy starts with '{' but is not valid JSON");
  }
}

function rulesFrom(body: Record<string, Value>): VaultPathRule[] {
  const paths = body.path;
  if (paths === undefined) return [];
  const blocks: [string, Value][] = [];
  // HCL repeats `path "p" {}` blocks; the JSON form is an object (or a list of objects) keyed by pattern.
  for (const entry of Array.isArray(paths) ? paths : [paths]) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new PolicyTextError("a 'path' entry must be an object keyed by the path pattern");
    for (const [pattern, rule] of Object.entries(entry)) blocks.push([pattern, rule]);
  }
  return blocks.map(([pattern, rule]) => ({ pattern, capabilities: capabilitiesOf(pattern, Array.isArray(rule) ? Object.assign({}, ...rule) : rule) }));
}

function capabilitiesOf(pattern: string, rule: Value): VaultCapability[] {
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) throw new PolicyTextError(`path "${pattern}" must be a block`);
  const found = new Set<VaultCapability>();
  const listed = rule.capabilities;
  if (listed !== undefined) {
    if (!Array.isArray(listed)) throw new PolicyTextError(`path "${pattern}": capabilities must be a list`);
    for (const capability of listed) {
      if (typeof capability !== "string" || !knownCapabilities.has(capability)) throw new PolicyTextError(`path "${pattern}": unknown capability ${JSON.stringify(capability)}`);
      if (capability !== "root") found.add(capability as VaultCapability);
    }
  }
  if (typeof rule.policy === "string") {
    const legacy = legacyPolicies[rule.policy];
    if (!legacy) throw new PolicyTextError(`path "${pattern}": unknown policy ${JSON.stringify(rule.policy)}; use read, write, deny or sudo`);
    for (const capability of legacy) found.add(capability);
  }
  return [...found];
}

/** The HCL that policies are written in: attributes, labeled blocks, strings, lists, objects, comments. */
class HclReader {
  private at = 0;
  constructor(private readonly text: string) {}

  body(until?: string): Record<string, Value> {
    const result: Record<string, Value> = {};
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length) {
        if (until) throw this.problem(`expected '${until}'`);
        return result;
      }
      if (until && this.text[this.at] === until) {
        this.at += 1;
        return result;
      }
      const name = this.identifier();
      this.skipSpace();
      if (this.text[this.at] === "=" || this.text[this.at] === ":") {
        this.at += 1;
        result[name] = this.value();
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.at] === '"') {
        labels.push(this.string());
        this.skipSpace();
      }
      this.expect("{");
      let block: Value = this.body("}");
      for (const label of labels.reverse()) block = { [label]: block };
      const previous = result[name];
      result[name] = previous === undefined ? [block] : [...(previous as Value[]), block];
    }
  }

  private value(): Value {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '"') return this.string();
    if (char === "<" && this.text.startsWith("<<", this.at)) return this.heredoc();
    if (char === "[") return this.list();
    if (char === "{") {
      this.at += 1;
      return this.objectBody();
    }
    const word = this.text.slice(this.at).match(/^(-?\d+(\.\d+)?|true|false|null)/);
    if (!word) throw this.problem("expected a value");
    this.at += word[0].length;
    return word[0] === "true" ? true : word[0] === "false" ? false : word[0] === "null" ? null : Number(word[0]);
  }

  private objectBody(): Record<string, Value> {
    const result: Record<string, Value> = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === "}") {
        this.at += 1;
        return result;
      }
      const key = this.text[this.at] === '"' ? this.string() : this.identifier();
      this.skipSpace();
      if (this.text[this.at] !== "=" && this.text[this.at] !== ":") throw this.problem("expected '=' in an object");
      this.at += 1;
      result[key] = this.value();
      this.skipSpace();
      if (this.text[this.at] === ",") this.at += 1;
    }
  }

  private list(): Value[] {
    this.at += 1;
    const items: Value[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === "]") {
        this.at += 1;
        return items;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.at] === ",") this.at += 1;
      else if (this.text[this.at] !== "]") throw this.problem("expected ',' or ']' in a list");
    }
  }

  private string(): string {
    this.at += 1;
    let out = "";
    while (this.at < this.text.length) {
      const char = this.text[this.at]!;
      if (char === '"') {
        this.at += 1;
        return out;
      }
      if (char === "\n") break;
      if (char === "\\") {
        const next = this.text[this.at + 1];
        const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (next === undefined) break;
        out += escapes[next] ?? next;
        this.at += 2;
        continue;
      }
      out += char;
      this.at += 1;
    }
    throw this.problem("unterminated string");
  }

  private heredoc(): string {
    const header = this.text.slice(this.at).match(/^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\r?\n/);
    if (!header) throw this.problem("expected a heredoc marker such as <<EOT");
    this.at += header[0].length;
    const lines: string[] = [];
    for (;;) {
      if (this.at >= this.text.length) throw this.problem(`heredoc ${header[2]} is not closed`);
      const end = this.text.indexOf("\n", this.at);
      const line = this.text.slice(this.at, end < 0 ? undefined : end);
      this.at = end < 0 ? this.text.length : end + 1;
      if (line.trim() === header[2]) return lines.join("\n") + (lines.length > 0 ? "\n" : "");
      lines.push(line);
    }
  }

  private identifier(): string {
    const found = this.text.slice(this.at).match(/^[A-Za-z_][A-Za-z0-9_-]*/);
    if (!found) throw this.problem("expected a name");
    this.at += found[0].length;
    return found[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw this.problem(`expected '${char}'`);
    this.at += 1;
  }

  private skipSpace(): void {
    for (;;) {
      const rest = this.text.slice(this.at, this.at + 2);
      if (/^\s/.test(rest)) this.at += 1;
      else if (rest[0] === "#" || rest === "//") this.skipTo("\n");
      else if (rest === "/*") {
        const end = this.text.indexOf("*/", this.at + 2);
        this.at = end < 0 ? this.text.length : end + 2;
      } else return;
    }
  }

  private skipTo(char: string): void {
    const end = this.text.indexOf(char, this.at);
    this.at = end < 0 ? this.text.length : end + 1;
  }

  private problem(what: string): PolicyTextError {
    const line = this.text.slice(0, this.at).split("\n").length;
    return new PolicyTextError(`${what} on line ${line} of the policy`);
  }
}
