// The syntax tree of Terraform's expression language (HCL native syntax): what the parser makes
// and the evaluator walks. A Terraform JSON string is a template, so it parses into the same tree.

export type Expression =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "template"; readonly parts: readonly TemplatePart[] }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "attribute"; readonly object: Expression; readonly name: string }
  | { readonly kind: "index"; readonly object: Expression; readonly key: Expression }
  /** `list[*].attr` (full) or `list.*.attr` (attribute-only): `each` is applied to every item. */
  | { readonly kind: "splat"; readonly object: Expression; readonly each: Expression }
  /** The item inside a splat's `each`. */
  | { readonly kind: "splat-item" }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expression[]; readonly expandLast: boolean }
  | { readonly kind: "tuple"; readonly items: readonly Expression[] }
  | { readonly kind: "object"; readonly items: readonly { readonly key: Expression; readonly value: Expression }[] }
  | { readonly kind: "unary"; readonly op: "!" | "-"; readonly operand: Expression }
  | { readonly kind: "binary"; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "conditional"; readonly condition: Expression; readonly then: Expression; readonly otherwise: Expression }
  | ForExpression
  | { readonly kind: "parens"; readonly inner: Expression };

export type BinaryOperator = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface ForExpression {
  readonly kind: "for";
  readonly keyName: string | undefined;
  readonly valueName: string;
  readonly collection: Expression;
  /** Set for `{ for … : key => value }`. */
  readonly key: Expression | undefined;
  readonly value: Expression;
  readonly condition: Expression | undefined;
  /** `value...`: values with the same key are grouped into lists. */
  readonly group: boolean;
}

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "interpolation"; readonly expression: Expression }
  | { readonly kind: "if"; readonly condition: Expression; readonly then: readonly TemplatePart[]; readonly otherwise: readonly TemplatePart[] }
  | { readonly kind: "for"; readonly keyName: string | undefined; readonly valueName: string; readonly collection: Expression; readonly body: readonly TemplatePart[] };
