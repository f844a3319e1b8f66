// `keybridge dev`'s flags as parseArgs reads them, with the command's own refusal lines.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDevFlags } from "../../bin/dev-command.ts";
import { UsageError } from "../../bin/usage-error.ts";

function refusal(args: string[]): string {
  try {
    parseDevFlags(args);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`keybridge dev ${args.join(" ")} was accepted`);
}

describe("keybridge dev flags", () => {
  it("reads values inline or after the flag, the last one winning, and repeatable flags in order", () => {
    const flags = parseDevFlags(["--port=8200", "--port", "8201", "--json", "--job", "repository=acme/app", "--job", "ref=refs/heads/x", "--auth-mount", "oidc=oidc"]);
    assert.equal(flags.port, 8201);
    assert.equal(flags.json, true);
    assert.equal(flags.verbose, false);
    assert.equal(flags.job.repository, "acme/app");
    assert.equal(flags.job.ref, "refs/heads/x");
    assert.deepEqual(flags.authMounts.map((mount) => mount.path), ["oidc"]);
  });

  it("fails when a flag has no value, also when the next argument is another flag", () => {
    assert.equal(refusal(["--port"]), "--port needs a value; see keybridge dev --help");
    assert.equal(refusal(["--port", "--json"]), "--port needs a value; see keybridge dev --help");
  });

  it("fails on unknown arguments, short flags, positionals and a switch given a value", () => {
    for (const arg of ["--frobnicate", "--frob=1", "-p", "-abc", "serve", "--", "--json=1"]) {
      assert.equal(refusal([arg]), `unknown argument "${arg}"; see keybridge dev --help`);
    }
  });

  it("fails when --terraform is given twice or --data is empty", () => {
    assert.equal(refusal(["--terraform", "a.tf.json", "--terraform", "b.tf.json"]), "--terraform takes one file; pass it once");
    assert.equal(refusal(["--data="]), "--data needs a directory; see keybridge dev --help");
  });
});
