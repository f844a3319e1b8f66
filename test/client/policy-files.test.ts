// Finding a policy document and the stack it belongs to, whichever way the path is written.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPolicyFile } from "../../client/policy-files.ts";
import { serializePolicyDocument } from "../../policy/canonical.ts";
import { grant, withGrants } from "../policy/support/documents.ts";

describe("policy files", () => {
  it("names the stack after the document's directory even when the path is a bare file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-policy-files-"));
    const stack = join(dir, "payments");
    mkdirSync(stack);
    writeFileSync(join(stack, "keybridge.policy.json"), serializePolicyDocument(withGrants([grant("ci")])));
    const cwd = process.cwd();
    try {
      process.chdir(stack);
      assert.equal(readPolicyFile("--head", "keybridge.policy.json").stack, "payments");
      assert.equal(readPolicyFile("--head", ".").stack, "payments");
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
