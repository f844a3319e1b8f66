// `keybridge access` on hand-written Terraform, read by the Terraform reader with no backend: the
// same fixtures the dev backend loads (test/terraform/fixtures), so both read Terraform alike.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { accessCommand } from "../../bin/access-command.ts";
import { UsageError } from "../../bin/usage-error.ts";

const fixtures = fileURLToPath(new URL("../terraform/fixtures/", import.meta.url));

async function access(args: string[]): Promise<string> {
  let out = "";
  assert.equal(await accessCommand(args, (text) => ((out += text), true)), 0);
  return out;
}

describe("keybridge access --from a Terraform directory", () => {
  it("answers who can read a path, with the tfvars and auto.tfvars applied", async () => {
    const out = await access(["--from", `${fixtures}vault-github-actions`, "--path", "kv/data/services/api/database", "--format", "json"]);
    const answer = JSON.parse(out);
    assert.match(JSON.stringify(answer), /gha-api/);
    assert.match(JSON.stringify(answer), /acme\/api/);
    assert.doesNotMatch(JSON.stringify(answer), /gha-web/, "web's role does not reach api's secrets");
  });

  it("reads modules for_each team with --var-file, and what a pull request reaches", async () => {
    const dir = `${fixtures}vault-team-modules`;
    const out = await access(["--from", dir, "--var-file", `${dir}/teams.tfvars.json`, "--as", "repository=acme/payments-api,ref=refs/pull/7/merge,event_name=pull_request"]);
    assert.match(out, /module\.team\["payments"\]\.vault_jwt_auth_backend_role\.pull_request\[0\]/);
    assert.match(out, /secret-apps\/data\/payments\/staging\/\*/);
    assert.doesNotMatch(out, /payments-deploy/, "the deploy role needs the production environment");
  });

  it("refuses a configuration the reader cannot read, in one line that names the problem", async () => {
    await assert.rejects(accessCommand(["--from", `${fixtures}vault-team-modules`, "--path", "x"], () => true), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /var\.teams: has no value; pass --var teams=VALUE/);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  });
});
