// The access invariants on configurations shaped like hand-written ones: each fails when its
// hole is there, and stays quiet for the safe form of the same role.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { vaultGraphFromTerraform, type ResourceInstance } from "../../../policy/access/vault/from-terraform.ts";
import { runChecks } from "../../../policy/access/invariants/check.ts";
import { ChecksFile } from "../../../policy/access/invariants/declared.ts";

const prodRead = 'path "secret/data/app/prod/*" {\n  capabilities = ["read"]\n}\n';

function configuration(roleAttributes: Record<string, unknown>): ResourceInstance[] {
  return [
    { mode: "managed", type: "vault_policy", address: "vault_policy.prod", attributes: { name: "prod-read", policy: prodRead } },
    { mode: "managed", type: "vault_kv_secret_v2", address: "vault_kv_secret_v2.db", attributes: { mount: "secret", name: "app/prod/db" } },
    {
      mode: "managed",
      type: "vault_jwt_auth_backend_role",
      address: 'vault_jwt_auth_backend_role.ci["app"]',
      attributes: { role_name: "app-prod", role_type: "jwt", user_claim: "repository", bound_audiences: ["https://github.com/acme"], token_policies: ["prod-read"], token_ttl: 600, token_max_ttl: 900, ...roleAttributes },
    },
  ];
}

const ids = (roleAttributes: Record<string, unknown>, file?: unknown) => runChecks(vaultGraphFromTerraform(configuration(roleAttributes)), file === undefined ? undefined : ChecksFile.parse(file)).findings.map((finding) => finding.id).sort();

describe("access invariants", () => {
  it("pass for a production role bound to the main branch of one repository", () => {
    assert.deepEqual(ids({ bound_claims: { repository: "acme/app", ref: "refs/heads/main" } }), []);
    assert.deepEqual(ids({ bound_subject: "repo:acme/app:environment:prod" }), []);
  });

  it("fails KB201 and KB202 when the role binds the repository only (any branch, any pull request)", () => {
    assert.deepEqual(ids({ bound_claims: { repository: "acme/app" } }), ["KB201", "KB202"]);
  });

  it("fails KB202 but not KB201 when a ref glob admits every branch but the subject rules out pull requests", () => {
    assert.deepEqual(ids({ bound_claims_type: "glob", bound_claims: { sub: "repo:acme/app:ref:refs/heads/*" } }), ["KB202"]);
  });

  it("fails KB203 when nothing binds the repository, and names the chain in the finding", () => {
    const result = runChecks(vaultGraphFromTerraform(configuration({ bound_claims: { ref: "refs/heads/main" } })), undefined);
    const kb203 = result.findings.find((finding) => finding.id === "KB203");
    assert.ok(kb203, JSON.stringify(result.findings.map((finding) => finding.id)));
    assert.match(kb203.violation.detail, /auth\/jwt\/role\/app-prod \(vault_jwt_auth_backend_role\.ci\["app"\]\)/);
    assert.deepEqual(ids({ bound_claims_type: "glob", bound_claims: { repository: "*", ref: "refs/heads/main" } }).includes("KB203"), true);
    assert.deepEqual(ids({ bound_claims_type: "glob", bound_claims: { repository: "acme/*", ref: "refs/heads/main" } }).includes("KB203"), false);
  });

  it("fails KB204 when tokens live past the limit or the role sets no TTL", () => {
    assert.deepEqual(ids({ bound_claims: { repository: "acme/app", ref: "refs/heads/main" }, token_ttl: 0, token_max_ttl: 0 }), ["KB204"]);
    assert.deepEqual(ids({ bound_claims: { repository: "acme/app", ref: "refs/heads/main" }, token_max_ttl: 7200 }), ["KB204"]);
    assert.deepEqual(ids({ bound_claims: { repository: "acme/app", ref: "refs/heads/main" }, token_max_ttl: 7200 }, { maxTtlSeconds: 7200 }), []);
  });

  it("applies a team's own rule, and sets an exception with its reason apart", () => {
    const rule = { id: "ACME001", level: "high", title: "Only the deploy workflow reads prod", paths: ["secret/data/*/prod/*"], onlyFrom: { job_workflow_ref: ["acme/deploy/.github/workflows/deploy.yml@refs/heads/main"] } };
    const safe = { bound_claims: { repository: "acme/app", ref: "refs/heads/main" } };
    assert.deepEqual(ids(safe, { rules: [rule] }), ["ACME001"]);
    assert.deepEqual(ids({ bound_claims: { ...safe.bound_claims, job_workflow_ref: "acme/deploy/.github/workflows/deploy.yml@refs/heads/main" } }, { rules: [rule] }), []);
    const excepted = runChecks(vaultGraphFromTerraform(configuration(safe)), ChecksFile.parse({ rules: [rule], exceptions: [{ rule: "ACME001", role: "auth/jwt/role/app-prod", reason: "migrating to the deploy workflow by Q3" }] }));
    assert.deepEqual(excepted.findings, []);
    assert.equal(excepted.excepted[0]?.reason, "migrating to the deploy workflow by Q3");
  });
});
