// The expression evaluator and Terraform's functions against vectors taken from Terraform's
// documentation (the examples on each function's page of the Terraform language docs, and its
// pages on expressions, for expressions, splats and string templates). No Terraform binary can
// run here, so these documented input/output pairs stand in for "as Terraform does".
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseExpression, parseTemplate } from "../../terraform/expression/parse.ts";
import { evaluate, type Scope } from "../../terraform/expression/evaluate.ts";
import { EvaluationError, Unknown, canonical, makeMap, type Value } from "../../terraform/expression/values.ts";
import { functionCaller } from "../../terraform/functions/index.ts";

const files: Record<string, string> = { "policy.tpl": 'path "${mount}/*" {\n%{ for c in caps ~}\n  # ${c}\n%{ endfor ~}\n}\n' };
const callFunction = functionCaller({ readText: (path) => files[path], exists: (path) => path in files, listFiles: (dir) => (dir === "." ? Object.keys(files) : undefined) });

const scope: Scope = {
  variable: (name) => ({ repos: makeMap([["api", makeMap([["env", "prod"]])], ["web", makeMap([["env", "dev"]])]]), names: ["a", "b"], nothing: null } as Record<string, Value>)[name],
  local: (name) => (name === "accessor" ? new Unknown("vault_mount.kv.accessor", "known only after apply") : undefined),
  module: () => undefined,
  resource: () => undefined,
  special: () => undefined,
  callFunction,
};

const value = (source: string): unknown => canonical(evaluate(parseExpression(source), scope));

describe("Terraform's functions, with the examples of its documentation", () => {
  const vectors: [string, unknown][] = [
    ['format("Hello, %s!", "Ander")', "Hello, Ander!"],
    ['format("There are %d lights", 4)', "There are 4 lights"],
    ['formatlist("Hello, %s!", ["Valentina", "Ander"])', ["Hello, Valentina!", "Hello, Ander!"]],
    ['join("-", ["foo", "bar", "baz"])', "foo-bar-baz"],
    ['join(", ", ["foo"])', "foo"],
    ['split(",", "foo,bar,baz")', ["foo", "bar", "baz"]],
    ['split(",", "")', [""]],
    ['replace("1 + 2 + 3", "+", "-")', "1 - 2 - 3"],
    ['replace("hello world", "/w.*d/", "everybody")', "hello everybody"],
    ['lookup({a="ay", b="bee"}, "a", "what?")', "ay"],
    ['lookup({a="ay", b="bee"}, "c", "what?")', "what?"],
    ['merge({a="b", c="d"}, {e="f", c="z"})', { a: "b", c: "z", e: "f" }],
    ['concat(["a", ""], ["b", "c"])', ["a", "", "b", "c"]],
    ['toset(["a", "b", "c", "b"])', ["a", "b", "c"]],
    ['flatten([["a", "b"], [], ["c"]])', ["a", "b", "c"]],
    ['flatten([[["a", "b"], []], ["c"]])', ["a", "b", "c"]],
    ['jsonencode({"hello"="world"})', '{"hello":"world"}'],
    ['jsonencode({b = 1, a = ["<&>"]})', '{"a":["\\u003c\\u0026\\u003e"],"b":1}'],
    ['jsondecode("{\\"hello\\": \\"world\\"}")', { hello: "world" }],
    ['trimprefix("helloworld", "hello")', "world"],
    ['trimsuffix("helloworld", "world")', "hello"],
    ['trimspace("  hello\\n\\n")', "hello"],
    ['trim("?!hello?!", "!?")', "hello"],
    ['regex("[a-z]+", "53453453.345345aaabbbccc23454")', "aaabbbccc"],
    ['regex("(\\\\d\\\\d\\\\d\\\\d)-(\\\\d\\\\d)-(\\\\d\\\\d)", "2019-02-01")', ["2019", "02", "01"]],
    ['regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")', { authority: "terraform.io", scheme: "https" }],
    ['regexall("[a-z]+", "1234abcd5678efgh9")', ["abcd", "efgh"]],
    ['title("hello world")', "Hello World"],
    ['indent(2, "[\\n  foo,\\n  bar,\\n]\\n")', "[\n    foo,\n    bar,\n  ]\n  "],
    ['substr("hello world", 1, 4)', "ello"],
    ['substr("hello world", -5, -1)', "world"],
    ['element(["a", "b", "c"], 3)', "a"],
    ['coalesce("", "b")', "b"],
    ["coalesce(1, 2)", 1],
    ['compact(["a", "", "b", null, "c"])', ["a", "b", "c"]],
    ['distinct(["a", "b", "a", "c", "d", "b"])', ["a", "b", "c", "d"]],
    ["keys({a=1, c=2, d=3})", ["a", "c", "d"]],
    ["values({a=3, c=2, d=1})", [3, 2, 1]],
    ["range(3)", [0, 1, 2]],
    ["range(1, 4)", [1, 2, 3]],
    ["range(1, 8, 2)", [1, 3, 5, 7]],
    ["range(4, 1)", [4, 3, 2]],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['setproduct(["development", "staging"], ["app1", "app2"])', [["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]]],
    ['transpose({"a" = ["1", "2"], "b" = ["2", "3"]})', { "1": ["a"], "2": ["a", "b"], "3": ["b"] }],
    ['chunklist(["a", "b", "c", "d", "e"], 2)', [["a", "b"], ["c", "d"], ["e"]]],
    ['slice(["a", "b", "c", "d"], 1, 3)', ["b", "c"]],
    ['sort(["e", "d", "a", "x"])', ["a", "d", "e", "x"]],
    ['urlencode("Hello World!")', "Hello+World%21"],
    ['urlencode("☃")', "%E2%98%83"],
    ['urlencode("foo:bar@localhost?foo=bar&bar=baz")', "foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz"],
    ['base64encode("Hello World")', "SGVsbG8gV29ybGQ="],
    ['base64decode("SGVsbG8gV29ybGQ=")', "Hello World"],
    ['md5("hello world")', "5eb63bbbe01eeed093cb22bb8f5acdc3"],
    ['sha1("hello world")', "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"],
    ['sha256("hello world")', "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"],
    ['parseint("100", 10)', 100],
    ['parseint("FF", 16)', 255],
    ['parseint("-10", 16)', -16],
    ['parseint("1011111011101111", 2)', 48879],
    ["abs(-12.4)", 12.4],
    ["ceil(5.1)", 6],
    ["floor(4.9)", 4],
    ["max(12, 54, 3)", 54],
    ["min(12, 54, 3)", 3],
    ["pow(3, 2)", 9],
    ["signum(-13)", -1],
    ["one([])", null],
    ['one(["hello"])', "hello"],
    ['alltrue(["true", true])', true],
    ["alltrue([])", true],
    ["anytrue([])", false],
    ["sum([10, 13, 6, 4.5])", 33.5],
    ['startswith("hello world", "hello")', true],
    ['endswith("hello world", "world")', true],
    ['strcontains("hello world", "wor")', true],
    ['chomp("hello\\r\\n")', "hello"],
    ['chomp("hello\\n\\n")', "hello"],
    ['strrev("hello")', "olleh"],
    ["tostring(1)", "1"],
    ['tonumber("1")', 1],
    ['tobool("true")', true],
    ['matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])', ["i-abc", "i-def"]],
    ['contains(["a", "b", "c"], "a")', true],
    ['index(["a", "b", "c"], "b")', 1],
    ['setintersection(["a", "b"], ["b", "c"], ["b", "d"])', ["b"]],
    ['setunion(["a", "b"], ["b", "c"], ["d"])', ["a", "b", "c", "d"]],
    ['setsubtract(["a", "b", "c"], ["a", "c"])', ["b"]],
    ['csvdecode("a,b,c\\n1,2,3\\n4,5,6")', [{ a: "1", b: "2", c: "3" }, { a: "4", b: "5", c: "6" }]],
    ['yamldecode("hello: world")', { hello: "world" }],
    ["length(var.repos)", 2],
    ['length("🤔🤷")', 2],
    ['fileset(".", "*.tpl")', ["policy.tpl"]],
    ['fileset(".", "{nothing,*.txt}")', []],
  ];
  for (const [source, expected] of vectors) {
    it(source, () => assert.deepEqual(value(source), expected));
  }

  it("renders templatefile() with only its variables in scope", () => {
    assert.equal(value('templatefile("policy.tpl", { mount = "kv", caps = ["read", "list"] })'), 'path "kv/*" {\n  # read\n  # list\n}\n');
  });

  it("refuses what Terraform has but the reader does not evaluate, in one line, saying why", () => {
    assert.throws(() => value("timestamp()"), /^EvaluationError: timestamp\(\) is not supported: it changes on every run; write the value it computes$/);
    assert.throws(() => value('cidrsubnet("10.0.0.0/16", 8, 2)'), /cidrsubnet\(\) is not supported/);
    assert.throws(() => value("nosuchfunction(1)"), /there is no function named "nosuchfunction"/);
    assert.throws(() => value('file("missing.txt")'), /file\(\): cannot read the file "missing.txt"/);
  });
});

describe("expressions, as the language docs define them", () => {
  it("evaluates for expressions over lists and maps, with if and grouping", () => {
    assert.deepEqual(value('[for s in ["a", "b"] : upper(s)]'), ["A", "B"]);
    assert.deepEqual(value("{for name, repo in var.repos : name => repo.env if repo.env != \"dev\"}"), { api: "prod" });
    assert.deepEqual(value('{for s in ["a", "aa", "b"] : length(s) => s...}'), { "1": ["a", "b"], "2": ["aa"] });
    assert.throws(() => value('{for s in ["a", "b"] : "k" => s}'), /makes the key "k" twice; add "\.\.\." after the value/);
  });

  it("splats lists, a single value and null as Terraform does", () => {
    assert.deepEqual(value("[{id = 1}, {id = 2}][*].id"), [1, 2]);
    assert.deepEqual(value("{id = 1}[*].id"), [1]);
    assert.deepEqual(value("var.nothing[*]"), []);
  });

  it("short-circuits conditionals and keeps Unknown where only an apply knows", () => {
    assert.equal(value('true ? "yes" : local.accessor'), "yes");
    const unknown = evaluate(parseExpression('"x-${local.accessor}"'), scope);
    assert.ok(unknown instanceof Unknown);
    assert.equal(unknown.origin, "vault_mount.kv.accessor");
    assert.ok(evaluate(parseExpression("jsonencode({a = local.accessor})"), scope) instanceof Unknown);
  });

  it("reads string templates: escapes, directives and strip markers", () => {
    const render = (text: string) => canonical(evaluate(parseTemplate(text), scope));
    assert.equal(render("$${not} %%{ not }"), "${not} %{ not }");
    assert.equal(render('%{ for ip in ["a", "b"] ~}\nserver ${ip}\n%{ endfor ~}'), "server a\nserver b\n");
    assert.equal(render('Hello, %{ if var.names[0] == "a" }first%{ else }other%{ endif }!'), "Hello, first!");
    assert.deepEqual(render("${var.names}"), ["a", "b"], "a template of one interpolation keeps the value's type");
  });

  it("reads heredocs, comments and a multi-line expression", () => {
    assert.equal(value('<<-EOT\n    path "a" {\n      x = 1\n    }\n  EOT\n'), 'path "a" {\n  x = 1\n}\n');
    assert.deepEqual(value("{\n  # a comment\n  a = 1 // another\n  /* and */ b = 2\n}"), { a: 1, b: 2 });
  });

  it("follows HCL's operator precedence and refuses mixed types in one line", () => {
    assert.equal(value("1 + 2 * 3 - 4 / 2"), 5);
    assert.equal(value("!true || 2 > 1 && 3 <= 3"), true);
    assert.equal(value('1 == "1"'), false, "a number never equals a string");
    assert.throws(() => value('"a" + 1'), (error: unknown) => error instanceof EvaluationError && !error.message.includes("\n"));
  });
});
