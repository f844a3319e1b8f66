// action.yml is what GitHub reads before it runs anything: check the contract it declares.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { inputDefaults } from "../action/input-parsers.ts";
import { inputTable, spellingsOf } from "../action/input-table.ts";
import { renderActionYmlInputs, renderReadmeInputs } from "../scripts/generate-inputs.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const metadata = parse(readFileSync(`${root}/action.yml`, "utf8"));

describe("action.yml", () => {
  it("runs the committed bundles on node24 with a post step that always runs", () => {
    assert.equal(metadata.runs.using, "node24");
    assert.equal(metadata.runs.main, "dist/main.js");
    assert.equal(metadata.runs.post, "dist/post.js");
    assert.equal(metadata.runs["post-if"], "always()");
    for (const entry of [metadata.runs.main, metadata.runs.post]) assert.ok(existsSync(`${root}/${entry}`), `${entry} is missing`);
  });

  it("describes every input and output; names are kebab-case but for vault-action's camelCase ones", () => {
    assert.ok(typeof metadata.name === "string" && typeof metadata.description === "string");
    for (const [name, input] of Object.entries<any>(metadata.inputs)) {
      const spec = inputTable.find((entry) => entry.name === name);
      assert.ok(spec, `input ${name} is not in action/input-table.ts`);
      const pattern = spec.owners.length === 1 && spec.owners[0] === "vault-action" ? /^[a-z][A-Za-z0-9]*$/ : /^[a-z][a-z0-9-]*$/;
      assert.match(name, pattern, `input ${name} is not spelled as its owner spells it`);
      assert.ok(typeof input.description === "string" && input.description.length > 10, `input ${name} has no description`);
      assert.equal(input.required, false, `input ${name}: no input is required by the runner, the Action checks what each mode needs`);
    }
    for (const [name, output] of Object.entries<any>(metadata.outputs)) {
      assert.ok(typeof output.description === "string" && output.description.length > 10, `output ${name} has no description`);
    }
  });

  it("declares a default only for an input with one spelling and one default, as the input table says", () => {
    for (const spec of inputTable) {
      const declared = metadata.inputs[spec.name]?.default;
      const spelled = spellingsOf(spec.spellingOf ?? spec.name).length > 1;
      if (spelled || spec.codeDefault !== undefined) {
        assert.equal(declared, undefined, `${spec.name} has another spelling or a default that depends on the step, so action.yml must not declare one (the runner would send it as if typed)`);
      } else {
        assert.equal(declared, spec.default, `action.yml and the input table disagree on the default of ${spec.name}`);
      }
    }
    for (const [name, fallback] of Object.entries(inputDefaults)) {
      assert.equal(metadata.inputs[name]?.default, fallback, `action.yml and action/inputs.ts disagree on the default of ${name}`);
    }
  });

  it("lists exactly the input table's inputs, as scripts/generate-inputs.ts writes them", () => {
    const text = readFileSync(`${root}/action.yml`, "utf8");
    assert.ok(text.includes(`\n${renderActionYmlInputs()}`), "action.yml's inputs are stale: run npx tsx scripts/generate-inputs.ts");
    assert.deepEqual(Object.keys(metadata.inputs), inputTable.map((spec) => spec.name));
  });

  it("is documented in README: every input and output has a row", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    assert.ok(readme.includes(renderReadmeInputs()), "README's inputs table is stale: run npx tsx scripts/generate-inputs.ts");
    for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]) {
      assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, "m"), `README has no table row for ${name}`);
    }
  });
});
