// An expression written back as short, one-line source for messages: `vault_policy.ci["prod"].name`,
// `jsonencode(…)`. Never a value: literals longer than a few characters are elided, since a
// literal in a configuration may be a secret.
import type { Expression, TemplatePart } from "./syntax.ts";

const limit = 80;

export function traversalText(expression: Expression): string {
  const text = write(expression);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function write(expression: Expression): string {
  switch (expression.kind) {
    case "literal":
      return typeof expression.value === "string" ? (expression.value.length <= 24 && !/[\n"]/.test(expression.value) ? JSON.stringify(expression.value) : '"…"') : String(expression.value);
    case "name":
      return expression.name;
    case "attribute":
      return `${write(expression.object)}.${expression.name}`;
    case "index":
      return `${write(expression.object)}[${write(expression.key)}]`;
    case "splat":
      return `${write(expression.object)}[*]${write(expression.each)}`;
    case "splat-item":
      return "";
    case "call":
      return `${expression.name}(${expression.args.length === 0 ? "" : "…"})`;
    case "tuple":
      return "[…]";
    case "object":
      return "{…}";
    case "unary":
      return `${expression.op}${write(expression.operand)}`;
    case "binary":
      return `${write(expression.left)} ${expression.op} ${write(expression.right)}`;
    case "conditional":
      return `${write(expression.condition)} ? … : …`;
    case "for":
      return expression.key ? "{for …}" : "[for …]";
    case "parens":
      return `(${write(expression.inner)})`;
    case "template":
      return `"${expression.parts.map(writePart).join("")}"`;
  }
}

function writePart(part: TemplatePart): string {
  if (part.kind === "text") return part.text.length <= 16 && !/[\n"]/.test(part.text) ? part.text : "…";
  if (part.kind === "interpolation") return `\${${write(part.expression)}}`;
  return part.kind === "if" ? "%{if …}" : "%{for …}";
}
