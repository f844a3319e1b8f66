// The Terraform reader on its own (no backend: what plans and the access graph call): variable
// precedence as Terraform documents it ("later sources take precedence": TF_VAR_ environment
// variables, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical order of
// their names, then -var and -var-file in command-line order), -var text taken literally for
// string variables and parsed for others, instance addresses, and problems as one line each
// naming file, line, address and attribute.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { problemLine, readTerraform } from "../../terraform/index.ts";
import { canonical } from "../../terraform/expression/values.ts";

let root: string;
let count = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "keybridge-tf-reader-"));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function directory(files: Record<string, string>): Promise<string> {
  const dir = join(root, `case-${++count}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const declarations = `
variable "a" { type = string }
variable "b" { type = string }
variable "c" { type = string }
variable "d" { type = string }
variable "e" { type = string }
variable "f" { type = string }
variable "repos" { type = map(list(string)) }
output "all" { value = [var.a, var.b, var.c, var.d, var.e, var.f] }
output "repos" { value = var.repos }
`;

describe("variables, with Terraform's documented precedence", () => {
  it("lets each later source win: environment, terraform.tfvars, .tfvars.json, auto files by name, then the command line in order", async () => {
    const dir = await directory({
      "main.tf": declarations,
      "terraform.tfvars": 'b = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\nf = "tfvars"\nrepos = { api = ["main"] }\n',
      "terraform.tfvars.json": JSON.stringify({ c: "tfvars.json", d: "tfvars.json", e: "tfvars.json", f: "tfvars.json" }),
      "b.auto.tfvars.json": JSON.stringify({ e: "b.auto", f: "b.auto" }),
      "a.auto.tfvars": 'd = "a.auto"\ne = "a.auto"\nf = "a.auto"\n',
      "late.tfvars": 'f = "var-file"\n',
    });
    const result = await readTerraform({
      paths: [dir],
      environment: { TF_VAR_a: "env", TF_VAR_b: "env", TF_VAR_repos: "ignored: tfvars comes later" },
      commandLine: [
        { kind: "var", name: "f", text: "first --var" },
        { kind: "var-file", path: join(dir, "late.tfvars") },
      ],
    });
    assert.deepEqual(result.problems.map(problemLine), []);
    const all = result.outputs.find((output) => output.name === "all")!;
    assert.deepEqual(all.value, ["env", "tfvars", "tfvars.json", "a.auto", "b.auto", "var-file"]);
  });

  it("takes -var text literally for a string and parses it for other types", async () => {
    const dir = await directory({ "main.tf": 'variable "name" { type = string }\nvariable "repos" { type = map(list(string)) }\noutput "o" { value = { name = var.name, repos = var.repos } }\n' });
    const result = await readTerraform({
      paths: [dir],
      commandLine: [
        { kind: "var", name: "name", text: '{ not = "parsed" }' },
        { kind: "var", name: "repos", text: '{ api = ["main", "release"] }' },
      ],
    });
    assert.deepEqual(canonical(result.outputs[0]!.value), { name: '{ not = "parsed" }', repos: { api: ["main", "release"] } });
  });

  it("refuses a --var for an undeclared variable and warns about a tfvars value nobody declared", async () => {
    const dir = await directory({ "main.tf": 'variable "x" {\n  default = 1\n}\n', "terraform.tfvars": "y = 2\n" });
    const result = await readTerraform({ paths: [dir], commandLine: [{ kind: "var", name: "z", text: "3" }] });
    assert.deepEqual(result.problems.map(problemLine), [`${dir}: --var z: there is no variable "z" in the root module; declare it or fix the name`]);
    assert.deepEqual(result.warnings.map(problemLine), [`${join(dir, "terraform.tfvars")}: y: a value for a variable the root module does not declare; it is ignored`]);
  });
});

describe("instances and problems", () => {
  it("addresses instances of for_each, count and module calls as Terraform does", async () => {
    const dir = await directory({
      "main.tf": `
module "m" {
  source   = "./m"
  for_each = toset(["x"])
  n        = 2
}
resource "vault_policy" "p" {
  for_each = { "prod" = 1 }
  name     = "p-\${each.key}"
  policy   = ""
}`,
      "m/main.tf": 'variable "n" { type = number }\nresource "vault_policy" "c" {\n  count  = var.n\n  name   = "c${count.index}"\n  policy = ""\n}\n',
    });
    const result = await readTerraform({ paths: [dir] });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.instances.map((instance) => instance.address).sort(), ['module.m["x"].vault_policy.c[0]', 'module.m["x"].vault_policy.c[1]', 'vault_policy.p["prod"]']);
  });

  it("names file, line, instance address and attribute, in one line even for a multi-line expression", async () => {
    const dir = await directory({
      "main.tf": `variable "repos" {
  default = { prod = "x" }
}

resource "vault_policy" "ci" {
  for_each = var.repos
  name     = "ci"
  policy = jsonencode({
    path = {
      "secret/\${each.value}" = local.missing
    }
  })
}
`,
    });
    const result = await readTerraform({ paths: [dir] });
    assert.deepEqual(result.problems.map(problemLine), [
      `${join(dir, "main.tf")}:5: vault_policy.ci["prod"]: policy: local.missing is not a declared local value; add it to a locals block or fix the name`,
    ]);
  });

  it("gives an HCL syntax error its line, without quoting the file", async () => {
    const dir = await directory({ "main.tf": 'resource "vault_policy" "p" {\n  name = "p"\n\n  policy = [1, 2\n}\n' });
    const result = await readTerraform({ paths: [dir] });
    assert.equal(result.problems.length, 1);
    assert.match(problemLine(result.problems[0]!), new RegExp(`^${join(dir, "main.tf").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5: HCL syntax error: `));
  });

  it("evaluates object keys written as expressions, as HCL allows", async () => {
    const dir = await directory({ "main.tf": 'variable "claim" {\n  default = "repository"\n}\noutput "o" {\n  value = { (var.claim) = "a", "${var.claim}_owner" = "b" }\n}\n' });
    const result = await readTerraform({ paths: [dir] });
    assert.deepEqual(canonical(result.outputs[0]!.value), { repository: "a", repository_owner: "b" });
  });

  it("reads a skipped provider's written attributes and leaves the rest Unknown, with its origin", async () => {
    const dir = await directory({
      "main.tf": 'resource "github_repository" "app" {\n  name = "app"\n}\noutput "name" { value = github_repository.app.name }\noutput "full" { value = github_repository.app.full_name }\n',
    });
    const result = await readTerraform({ paths: [dir] });
    const name = result.outputs.find((output) => output.name === "name");
    const full = result.outputs.find((output) => output.name === "full");
    assert.equal(name!.value, "app");
    assert.equal((full!.value as { origin: string }).origin, "github_repository.app.full_name");
  });
});
