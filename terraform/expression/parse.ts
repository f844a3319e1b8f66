// A parser for Terraform's expression language (HCL native syntax) and its string templates:
// operators with HCL's precedence, conditionals, function calls (with `...` expansion), tuples,
// objects, `for` expressions, splats, index and attribute steps, quoted templates with escapes,
// heredocs, `${…}` interpolations and `%{if}`/`%{for}` directives with `~` strip markers.
// It reads characters directly, so templates nest inside expressions nest inside templates.
// Every failure is an ExpressionSyntaxError with a one-line message and the offset it happened at.
import type { BinaryOperator, Expression, TemplatePart } from "./syntax.ts";

export class ExpressionSyntaxError extends Error {
  override readonly name = "ExpressionSyntaxError";
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Deep enough for any real configuration; bounds recursion for hostile input. */
const maxDepth = 120;

const binaryLevels: readonly (readonly BinaryOperator[])[] = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<=", ">=", "<", ">"],
  ["+", "-"],
  ["*", "/", "%"],
];

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_-]/;

/** An expression written in HCL syntax, e.g. the inside of "${…}" or a .tfvars value. */
export function parseExpression(source: string): Expression {
  const parser = new Parser(source);
  const expression = parser.expression();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail(`unexpected ${parser.describeNext()} after the expression`);
  return expression;
}

/**
 * A template as a Terraform JSON string or a templatefile() holds it (no backslash escapes).
 * A template that is exactly one interpolation stands for that expression's value itself.
 */
export function parseTemplate(source: string): Expression {
  const parser = new Parser(source);
  const parts = parser.templateParts("raw");
  if (!parser.atEnd()) parser.fail(`unexpected ${parser.describeNext()}: a %{else}, %{endif} or %{endfor} without its opening directive`);
  return templateExpression(parts);
}

function templateExpression(parts: readonly TemplatePart[]): Expression {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only?.kind === "interpolation") return only.expression;
  if (parts.length === 0) return { kind: "literal", value: "" };
  if (only?.kind === "text") return { kind: "literal", value: only.text };
  return { kind: "template", parts };
}

type TemplateMode = "raw" | "quoted" | "heredoc";

class Parser {
  private position = 0;
  private depth = 0;
  /** Set by a `~}`: the next literal text loses its leading whitespace. */
  private stripLeading = false;

  constructor(private readonly source: string) {}

  atEnd(): boolean {
    return this.position >= this.source.length;
  }

  fail(message: string, offset = this.position): never {
    throw new ExpressionSyntaxError(message, offset);
  }

  describeNext(): string {
    if (this.atEnd()) return "end of expression";
    const char = this.source[this.position]!;
    return char === "\n" ? "line break" : `"${char}"`;
  }

  private peek(text: string): boolean {
    return this.source.startsWith(text, this.position);
  }

  private enter(): void {
    if (++this.depth > maxDepth) this.fail(`the expression nests deeper than ${maxDepth} levels`);
  }

  private leave(): void {
    this.depth--;
  }

  /** Spaces, line breaks and the three comment forms. */
  skipSpace(): void {
    const source = this.source;
    while (this.position < source.length) {
      const char = source[this.position]!;
      if (char === " " || char === "\t" || char === "\n" || char === "\r") this.position++;
      else if (char === "#" || source.startsWith("//", this.position)) {
        while (this.position < source.length && source[this.position] !== "\n") this.position++;
      } else if (source.startsWith("/*", this.position)) {
        const end = source.indexOf("*/", this.position + 2);
        if (end < 0) this.fail("unterminated /* comment");
        this.position = end + 2;
      } else return;
    }
  }

  private accept(text: string): boolean {
    this.skipSpace();
    if (!this.peek(text)) return false;
    this.position += text.length;
    return true;
  }

  private expect(text: string, what: string): void {
    if (!this.accept(text)) this.fail(`expected "${text}" ${what}, found ${this.describeNext()}`);
  }

  private identifier(): string | undefined {
    this.skipSpace();
    const start = this.position;
    if (!identifierStart.test(this.source[start] ?? "")) return undefined;
    let end = start + 1;
    while (end < this.source.length && identifierPart.test(this.source[end]!)) end++;
    this.position = end;
    return this.source.slice(start, end);
  }

  private expectIdentifier(what: string): string {
    const name = this.identifier();
    if (name === undefined) this.fail(`expected a name ${what}, found ${this.describeNext()}`);
    return name;
  }

  /** True when the next word is `word` (not a longer identifier); consumes it. */
  private keyword(word: string): boolean {
    this.skipSpace();
    if (!this.peek(word) || identifierPart.test(this.source[this.position + word.length] ?? "")) return false;
    this.position += word.length;
    return true;
  }

  expression(): Expression {
    this.enter();
    const condition = this.binary(0);
    let result = condition;
    if (this.accept("?")) {
      const then = this.expression();
      this.expect(":", "between the two results of a conditional");
      const otherwise = this.expression();
      result = { kind: "conditional", condition, then, otherwise };
    }
    this.leave();
    return result;
  }

  private binary(level: number): Expression {
    if (level === binaryLevels.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = binaryLevels[level]!.find((candidate) => this.peek(candidate) && !this.isArrowOrEllipsis(candidate));
      if (!op) return left;
      this.position += op.length;
      const right = this.binary(level + 1);
      left = { kind: "binary", op, left, right };
    }
  }

  /** `=>` is not `=`…, and a lone `=` is not `==`; "-" never starts "->" in HCL, so only these. */
  private isArrowOrEllipsis(op: string): boolean {
    return (op === ">" && this.source[this.position - 1] === "=") || (op === "<" && this.peek("<<"));
  }

  private unary(): Expression {
    this.skipSpace();
    if (this.peek("!") && !this.peek("!=")) {
      this.position++;
      this.enter();
      const operand = this.unary();
      this.leave();
      return { kind: "unary", op: "!", operand };
    }
    if (this.peek("-")) {
      this.position++;
      this.enter();
      const operand = this.unary();
      this.leave();
      return { kind: "unary", op: "-", operand };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Expression): Expression {
    let current = start;
    for (;;) {
      this.skipSpace();
      if (this.peek("[*]")) {
        this.position += 3;
        current = { kind: "splat", object: current, each: this.splatSteps({ kind: "splat-item" }, true) };
      } else if (this.peek(".*")) {
        this.position += 2;
        current = { kind: "splat", object: current, each: this.splatSteps({ kind: "splat-item" }, false) };
      } else if (this.peek("[")) {
        this.position++;
        const key = this.expression();
        this.expect("]", "to close the index");
        current = { kind: "index", object: current, key };
      } else if (this.peek(".") && !this.peek("...")) {
        this.position++;
        current = this.attributeStep(current);
      } else return current;
    }
  }

  /** `.name` or `.0` (a legacy index step). */
  private attributeStep(object: Expression): Expression {
    const digits = /^\d+/.exec(this.source.slice(this.position, this.position + 20));
    if (digits) {
      this.position += digits[0].length;
      return { kind: "index", object, key: { kind: "literal", value: Number(digits[0]) } };
    }
    return { kind: "attribute", object, name: this.expectIdentifier('after "."') };
  }

  /** The steps after a splat, applied to each item: attributes (and indexes for a full splat). */
  private splatSteps(item: Expression, full: boolean): Expression {
    let current = item;
    for (;;) {
      this.skipSpace();
      if (full && this.peek("[") && !this.peek("[*]")) {
        this.position++;
        const key = this.expression();
        this.expect("]", "to close the index");
        current = { kind: "index", object: current, key };
      } else if (this.peek(".") && !this.peek(".*") && !this.peek("...")) {
        this.position++;
        current = this.attributeStep(current);
      } else return current;
    }
  }

  private primary(): Expression {
    this.skipSpace();
    const char = this.source[this.position];
    if (char === undefined) this.fail("expected an expression, found the end");
    if (/[0-9]/.test(char)) return this.number();
    if (char === '"') return this.quoted();
    if (this.peek("<<")) return this.heredoc();
    if (char === "(") {
      this.position++;
      const inner = this.expression();
      this.expect(")", "to close the parenthesis");
      return { kind: "parens", inner };
    }
    if (char === "[") return this.tupleOrFor();
    if (char === "{") return this.objectOrFor();
    const name = this.identifier();
    if (name === undefined) this.fail(`expected an expression, found ${this.describeNext()}`);
    if (name === "true" || name === "false") return { kind: "literal", value: name === "true" };
    if (name === "null") return { kind: "literal", value: null };
    return this.callOrName(name);
  }

  private callOrName(first: string): Expression {
    let name = first;
    // Provider-defined functions: provider::NAME::FUNCTION(…).
    while (this.peek("::")) {
      this.position += 2;
      name += `::${this.expectIdentifier('after "::"')}`;
    }
    if (!this.peek("(")) return { kind: "name", name };
    this.position++;
    this.enter();
    const args: Expression[] = [];
    let expandLast = false;
    while (!this.accept(")")) {
      if (args.length > 0) this.expect(",", "between function arguments");
      if (this.accept(")")) break;
      args.push(this.expression());
      if (this.accept("...")) {
        expandLast = true;
        this.expect(")", "after the expanded last argument");
        break;
      }
    }
    this.leave();
    return { kind: "call", name, args, expandLast };
  }

  private number(): Expression {
    const match = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.source.slice(this.position, this.position + 400))!;
    this.position += match[0].length;
    return { kind: "literal", value: Number(match[0]) };
  }

  private tupleOrFor(): Expression {
    this.position++;
    this.enter();
    let result: Expression;
    if (this.keyword("for")) result = this.forRest("]");
    else {
      const items: Expression[] = [];
      while (!this.accept("]")) {
        if (items.length > 0) this.expect(",", "between list items");
        if (this.accept("]")) break;
        items.push(this.expression());
      }
      result = { kind: "tuple", items };
    }
    this.leave();
    return result;
  }

  private objectOrFor(): Expression {
    this.position++;
    this.enter();
    let result: Expression;
    if (this.keyword("for")) result = this.forRest("}");
    else {
      const items: { key: Expression; value: Expression }[] = [];
      while (!this.accept("}")) {
        this.accept(",");
        if (this.accept("}")) break;
        const key = this.objectKey();
        this.skipSpace();
        if (!this.accept("=") && !this.accept(":")) this.fail(`expected "=" after an object key, found ${this.describeNext()}`);
        items.push({ key, value: this.expression() });
      }
      result = { kind: "object", items };
    }
    this.leave();
    return result;
  }

  /** A bare name is the key itself (not a variable); anything else is an expression. */
  private objectKey(): Expression {
    this.skipSpace();
    const start = this.position;
    const name = this.identifier();
    if (name !== undefined) {
      this.skipSpace();
      if (this.peek("=") && !this.peek("==")) return { kind: "literal", value: name };
      if (this.peek(":") && !this.peek("::")) return { kind: "literal", value: name };
      this.position = start;
    }
    return this.expression();
  }

  private forRest(close: "]" | "}"): Expression {
    const first = this.expectIdentifier('after "for"');
    const second = this.accept(",") ? this.expectIdentifier('after ","') : undefined;
    if (!this.keyword("in")) this.fail(`expected "in" in the for expression, found ${this.describeNext()}`);
    const collection = this.expression();
    this.expect(":", "after the collection of a for expression");
    let key: Expression | undefined;
    let value = this.expression();
    let group = false;
    if (close === "}") {
      this.expect("=>", "between key and value of a for expression that makes an object");
      key = value;
      value = this.expression();
      group = this.accept("...");
    }
    const condition = this.keyword("if") ? this.expression() : undefined;
    this.expect(close, "to close the for expression");
    return {
      kind: "for",
      keyName: second === undefined ? undefined : first,
      valueName: second ?? first,
      collection,
      key,
      value,
      condition,
      group,
    };
  }

  private quoted(): Expression {
    this.position++;
    const parts = this.templateParts("quoted");
    if (this.source[this.position] !== '"') this.fail("unterminated string: add the closing quote");
    this.position++;
    return templateExpression(parts);
  }

  private heredoc(): Expression {
    const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.source.slice(this.position, this.position + 200));
    if (!header) this.fail("a heredoc starts with <<NAME or <<-NAME and a line break");
    const [whole, indent, marker] = header;
    const bodyStart = this.position + whole.length;
    const lines: string[] = [];
    let cursor = bodyStart;
    for (;;) {
      if (cursor >= this.source.length) this.fail(`unterminated heredoc: add a line with ${marker}`);
      const end = this.source.indexOf("\n", cursor);
      const line = this.source.slice(cursor, end < 0 ? this.source.length : end);
      cursor = end < 0 ? this.source.length : end + 1;
      if (line.trim() === marker) break;
      lines.push(line.endsWith("\r") ? line.slice(0, -1) : line);
    }
    this.position = cursor;
    let body = lines;
    if (indent === "-") {
      const widths = lines.filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)![0].length);
      const cut = widths.length === 0 ? 0 : Math.min(...widths);
      body = lines.map((line) => line.slice(cut));
    }
    const text = body.map((line) => `${line}\n`).join("");
    const inner = new Parser(text);
    const parts = inner.templateParts("raw");
    if (!inner.atEnd()) this.fail("a %{else}, %{endif} or %{endfor} without its opening directive in the heredoc");
    return templateExpression(parts);
  }

  /** Template parts up to the end (raw), the closing quote (quoted), or a closing directive. */
  templateParts(mode: TemplateMode): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = "";
    const flush = () => {
      if (text !== "") parts.push({ kind: "text", text });
      text = "";
    };
    const source = this.source;
    while (this.position < source.length) {
      const char = source[this.position]!;
      if (mode === "quoted" && char === '"') break;
      if (mode === "quoted" && char === "\n") this.fail("a quoted string cannot span lines: use a heredoc (<<EOT) or \\n");
      if (source.startsWith("$${", this.position) || source.startsWith("%%{", this.position)) {
        text += `${char}{`;
        this.position += 3;
      } else if (source.startsWith("${", this.position)) {
        this.position += 2;
        if (this.accept("~")) text = text.trimEnd();
        flush();
        this.enter();
        parts.push({ kind: "interpolation", expression: this.expression() });
        this.leave();
        this.closeTemplateBrace("interpolation");
      } else if (source.startsWith("%{", this.position)) {
        const save = this.position;
        this.position += 2;
        const strip = this.accept("~");
        if (this.keyword("else") || this.keyword("endif") || this.keyword("endfor")) {
          // The caller consumes the closing directive; its `~` strips the end of this body.
          if (strip) text = text.trimEnd();
          this.position = save;
          break;
        }
        if (strip) text = text.trimEnd();
        flush();
        parts.push(this.directive(mode));
      } else if (mode === "quoted" && char === "\\") {
        text += this.escape();
      } else {
        if (this.stripLeading) {
          this.stripLeading = false;
          if (/\s/.test(char)) {
            this.position++;
            continue;
          }
        }
        text += char;
        this.position++;
      }
      if (this.stripLeading && text !== "") this.stripLeading = false;
    }
    flush();
    return parts;
  }

  private closeTemplateBrace(what: string): void {
    this.skipSpace();
    if (this.peek("~}")) {
      this.position += 2;
      this.stripLeading = true;
      return;
    }
    if (!this.peek("}")) this.fail(`expected "}" to close the ${what}, found ${this.describeNext()}`);
    this.position++;
  }

  /** After "%{": an if or a for directive with its body and closing directive. */
  private directive(mode: TemplateMode): TemplatePart {
    this.enter();
    let part: TemplatePart;
    if (this.keyword("if")) {
      const condition = this.expression();
      this.closeTemplateBrace("%{if}");
      const then = this.templateParts(mode);
      let otherwise: TemplatePart[] = [];
      if (this.closingDirective("else")) {
        otherwise = this.templateParts(mode);
      }
      if (!this.closingDirective("endif")) this.fail("%{if} without %{endif}");
      part = { kind: "if", condition, then, otherwise };
    } else if (this.keyword("for")) {
      const first = this.expectIdentifier('after "for"');
      const second = this.accept(",") ? this.expectIdentifier('after ","') : undefined;
      if (!this.keyword("in")) this.fail('expected "in" in the %{for} directive');
      const collection = this.expression();
      this.closeTemplateBrace("%{for}");
      const body = this.templateParts(mode);
      if (!this.closingDirective("endfor")) this.fail("%{for} without %{endfor}");
      part = { kind: "for", keyName: second === undefined ? undefined : first, valueName: second ?? first, collection, body };
    } else {
      this.fail("a template directive is %{if …} or %{for … in …}");
    }
    this.leave();
    return part;
  }

  /** Consumes "%{ word }" (with strip markers) when it comes next. */
  private closingDirective(word: string): boolean {
    const save = this.position;
    if (!this.peek("%{")) return false;
    this.position += 2;
    this.accept("~");
    if (!this.keyword(word)) {
      this.position = save;
      return false;
    }
    this.closeTemplateBrace(`%{${word}}`);
    return true;
  }

  private escape(): string {
    const next = this.source[this.position + 1];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (next !== undefined && simple[next] !== undefined) {
      this.position += 2;
      return simple[next]!;
    }
    const unicode = next === "u" ? /^[0-9A-Fa-f]{4}/ : next === "U" ? /^[0-9A-Fa-f]{8}/ : undefined;
    const digits = unicode?.exec(this.source.slice(this.position + 2, this.position + 10))?.[0];
    if (digits === undefined) this.fail(`unknown escape sequence \\${next ?? ""} in a string`);
    const code = Number.parseInt(digits, 16);
    if (code > 0x10ffff) this.fail(`\\U${digits} is not a Unicode character`);
    this.position += 2 + digits.length;
    return String.fromCodePoint(code);
  }
}
