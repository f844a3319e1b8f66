// Property-based: whatever text or JSON the reader is given, it answers a value or one-line
// problems. No other exception, no stack trace in a message, no line break, and every input
// bounded (the parser's nesting limit, the evaluator's, range() and count limits) so nothing hangs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ExpressionSyntaxError, parseExpression, parseTemplate } from "../../terraform/expression/parse.ts";
import { evaluate, type Scope } from "../../terraform/expression/evaluate.ts";
import { EvaluationError, makeMap } from "../../terraform/expression/values.ts";
import { functionCaller } from "../../terraform/functions/index.ts";
import { assembleModule } from "../../terraform/configuration.ts";
import { evaluateConfiguration } from "../../terraform/evaluate-configuration.ts";
import { openState } from "../../terraform/states.ts";
import { parseHcl } from "../../terraform/load.ts";
import { problemLine, type Problem } from "../../terraform/problems.ts";

const scope: Scope = {
  variable: (name) => (name === "repos" ? makeMap([["api", makeMap([["env", "prod"]])]]) : name === "list" ? ["a", "b"] : undefined),
  local: (name) => (name === "n" ? 3 : undefined),
  module: () => undefined,
  resource: () => undefined,
  special: (root) => (root === "each" ? makeMap([["key", "k"], ["value", "v"]]) : undefined),
  callFunction: functionCaller({ readText: () => undefined, exists: () => false, listFiles: () => undefined }),
};

const tokens = [
  "var.repos", "var.list", "local.n", "each.key", "each.value", "count.index", "vault_policy.p.name", "data.x.y.z", "module.m.o",
  "(", ")", "[", "]", "{", "}", "for", " in ", " if ", ":", "=>", "...", "?", ",", "=", "==", "!", "-", "+", "*", "/", "%", "&&", "||",
  "${", "%{", "~", '"', "'", "\\", "\n", " ", "#", "//", "/*", "*/", "<<EOT\n", "<<-EOT\n", "\nEOT\n", "[*]", ".*", ".0",
  "1", "0.5", "1e3", "true", "null", "x", "k", "v", "jsonencode(", "merge(", "lookup(", "format(", "range(", "flatten(", "try(", "can(",
  "toset(", "join(", "split(", "replace(", "regex(", "templatefile(", "%s", "%d", "endfor", "endif", "else", "$${", "%%{",
];

const hclish = fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((parts) => parts.join(""));
const anyText = fc.oneof(hclish, fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 40 }));

function assertOneLineProblem(error: unknown): void {
  assert.ok(error instanceof ExpressionSyntaxError || error instanceof EvaluationError, `unexpected ${String(error)}`);
  const message = (error as Error).message;
  assert.ok(!/\n/.test(message), "one line");
  assert.ok(!/\bat .+:\d+:\d+/.test(message), "no stack trace");
}

describe("the expression reader, on any text", () => {
  it("parses and evaluates an expression or says why in one line", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          evaluate(parseExpression(text), scope);
        } catch (error) {
          assertOneLineProblem(error);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("parses and evaluates a template (a Terraform JSON string) or says why in one line", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          evaluate(parseTemplate(text), scope);
        } catch (error) {
          assertOneLineProblem(error);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("refuses nesting beyond its limit in one line instead of overflowing the stack", () => {
    for (const open of ["(", "[", "{a = ", "!", "-", "${"]) {
      assert.throws(() => parseTemplate(`\${${open.repeat(5000)}`), ExpressionSyntaxError);
    }
  });
});

const labels = fc.constantFrom("vault_policy", "vault_mount", "github_repository", "random_password", "p", "q", "x");
const rawValue = fc.oneof(
  hclish,
  fc.constantFrom("${var.repos}", "${each.key}", "${count.index}", "${vault_policy.p.name}", "${local.l}", '${toset(["a"])}', "${module.m.o}", "${1}", "${-1}"),
  fc.jsonValue({ maxDepth: 2 }),
);
const body = fc.dictionary(fc.constantFrom("name", "policy", "count", "for_each", "depends_on", "dynamic", "path", "value", "source", "default", "type"), rawValue, { maxKeys: 4 });
const document = fc.record(
  {
    variable: fc.dictionary(fc.constantFrom("repos", "v"), body, { maxKeys: 2 }),
    locals: fc.dictionary(fc.constantFrom("l", "n"), rawValue, { maxKeys: 2 }),
    resource: fc.oneof(fc.dictionary(labels, fc.dictionary(labels, fc.oneof(body, fc.array(body, { maxLength: 2 })), { maxKeys: 2 }), { maxKeys: 2 }), fc.jsonValue({ maxDepth: 3 })),
    output: fc.dictionary(fc.constantFrom("o", "r"), body, { maxKeys: 2 }),
    module: fc.dictionary(fc.constantFrom("m"), body, { maxKeys: 1 }),
  },
  { requiredKeys: [] },
);

describe("the configuration reader, on any JSON document", () => {
  it("answers instances, outputs and one-line problems, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(document, fc.jsonValue({ maxDepth: 4 })), async (json) => {
        const problems: Problem[] = [];
        const root = assembleModule(".", [{ name: "gen.tf.json", json }], new Map(), problems);
        const result = await evaluateConfiguration(
          { label: "gen.tf.json", rootDir: ".", root, assignments: [], files: { readText: () => undefined, exists: () => false, listFiles: () => undefined }, problems },
          { visit: async (instance) => openState(instance, "known only after apply") },
        );
        for (const line of [...result.problems, ...result.warnings].map(problemLine)) {
          assert.ok(!line.includes("\n"), "one line per problem");
          assert.ok(line.startsWith("gen.tf.json"), "each line names the file");
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("the HCL parser, on any text", () => {
  it("answers JSON or one problem line that names the file", async () => {
    const hclText = fc.oneof(
      hclish,
      fc.array(fc.constantFrom('resource "a" "b" {', "}", "x = ", '"s"', "[1,", "]", "\n", "<<EOT\n", "EOT\n", "${", "# c\n", "dynamic \"d\" {", "=", "{"), { maxLength: 30 }).map((parts) => parts.join(" ")),
    );
    await fc.assert(
      fc.asyncProperty(hclText, async (text) => {
        const parsed = await parseHcl("gen.tf", text);
        if ("problem" in parsed) {
          const line = problemLine(parsed.problem);
          assert.ok(line.startsWith("gen.tf"));
          assert.ok(!line.includes("\n"));
        } else assert.equal(typeof parsed.json, "object");
      }),
      { numRuns: 150 },
    );
  });
});
