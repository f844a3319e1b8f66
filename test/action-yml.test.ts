// action.yml is what GitHub reads before it runs anything: check the contract it declares.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { inputDefaults } from "../action/input-parsers.ts";

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

  it("describes every input and output, and gives every optional input a default", () => {
    assert.ok(typeof metadata.name === "string" && typeof metadata.description === "string");
    for (const [name, input] of Object.entries<any>(metadata.inputs)) {
      assert.match(name, /^[a-z][a-z0-9-]*$/, `input ${name} is not kebab-case`);
      assert.ok(typeof input.description === "string" && input.description.length > 10, `input ${name} has no description`);
      assert.ok(input.required === true || "default" in input, `input ${name} has neither required: true nor a default`);
    }
    for (const [name, fallback] of Object.entries(inputDefaults)) {
      assert.equal(metadata.inputs[name]?.default, fallback, `action.yml and action/inputs.ts disagree on the default of ${name}`);
    }
    for (const [name, output] of Object.entries<any>(metadata.outputs)) {
      assert.ok(typeof output.description === "string" && output.description.length > 10, `output ${name} has no description`);
    }
  });

  it("is documented in README: every input and output has a row", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]) {
      assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, "m"), `README has no table row for ${name}`);
    }
  });
});
