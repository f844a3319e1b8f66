import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildPlan, PlanInputError } from "../../policy/plan.ts";
import { renderJson, renderMarkdown, renderText } from "../../policy/render/index.ts";
import { summarizeTerraformPlan, type TerraformPlanSummary } from "../../policy/terraform-plan/index.ts";
import { grant, withGrants } from "./support/documents.ts";
import { assertWellFormed } from "./support/plans.ts";

const fixtureText = readFileSync(new URL("./fixtures/terraform-plan.json", import.meta.url), "utf8");
const fixture = () => JSON.parse(fixtureText) as unknown;
const canaries = [...new Set(fixtureText.match(/CANARY-[A-Za-z0-9-]+/g))];

function summary(json: unknown = fixture()): TerraformPlanSummary {
  const result = summarizeTerraformPlan(json);
  assert.ok(result.ok, result.ok ? "" : result.problems.join("; "));
  return result.summary;
}

function assertNoCanary(text: string, where: string): void {
  assert.ok(canaries.length >= 10, "the fixture holds canaries");
  for (const canary of canaries) assert.ok(!text.includes(canary), `${canary} appears in the ${where}`);
  assert.ok(!text.includes("CANARY"), `a value (or part of one) appears in the ${where}`);
}

describe("summarizeTerraformPlan", () => {
  it("counts creates, updates, replaces (both orders) and deletes, ignoring no-op and read", () => {
    const { totals, byType, formatVersion } = summary();
    assert.equal(formatVersion, "1.2");
    assert.deepEqual(totals, { create: 2, update: 4, replace: 2, delete: 1 });
    assert.deepEqual(
      byType.map(({ type, counts }) => `${type} ${counts.create}/${counts.update}/${counts.replace}/${counts.delete}`),
      [
        "infisical_secret 0/1/0/0",
        "terraform_data 0/1/0/0",
        "vault_generic_endpoint 0/0/1/0",
        "vault_identity_group 0/0/1/0",
        "vault_jwt_auth_backend_role 1/1/0/0",
        "vault_kv_secret_v2 0/1/0/0",
        "vault_policy 1/0/0/1",
      ],
    );
  });

  it("lists the names of changed attributes, marking sensitive ones and those forcing replacement", () => {
    const byAddress = new Map(summary().resources.map((resource) => [resource.address, resource]));
    const names = (address: string) => byAddress.get(address)!.attributes.map((a) => `${a.name}${a.sensitive ? " (sensitive)" : ""}${a.forcesReplacement ? " (forces)" : ""}`);
    assert.deepEqual(names("vault_jwt_auth_backend_role.ml_training_prod_read"), ["bound_claims", "bound_claims_type", "token_ttl"]);
    assert.deepEqual(names("vault_kv_secret_v2.payments_prod_stripe"), ["custom_metadata", "data (sensitive)", "data_json (sensitive)"]);
    assert.deepEqual(names('infisical_secret.api_token["staging"]'), ["value (sensitive)"], "a secret resource's value is sensitive even unmasked");
    assert.deepEqual(names("terraform_data.policy_inputs"), ["input (sensitive)", "output"], "a nested sensitive mark covers its attribute");
    assert.deepEqual(names("vault_identity_group.ml_platform_admins"), ["id", "name (forces)"], "id is known only after apply");
    assert.deepEqual(names("vault_generic_endpoint.ml_training_prod_database_metadata"), ["data_json (sensitive)", "path (forces)"]);
    assert.deepEqual(names("vault_policy.keybridge_ml_training_ci_deploy"), [], "creates list no attributes");
    assert.ok(byAddress.get("vault_kv_secret_v2.payments_prod_stripe")!.holdsSecret);
  });

  it("never copies a value of the plan into the summary", () => {
    assertNoCanary(JSON.stringify(summary()), "summary");
  });

  it("fails on a format it does not read, naming the path and never the value", () => {
    const newer = summarizeTerraformPlan({ ...(fixture() as object), format_version: "2.0" });
    assert.ok(!newer.ok);
    assert.match(newer.problems[0]!, /\$\.format_version: must be 1\.x/);
    const broken = summarizeTerraformPlan({ format_version: "1.2", variables: { t: { value: "CANARY-x" } }, resource_changes: [{ address: 5, type: "vault_kv_secret_v2", name: "x", change: { actions: ["create"], after: { data_json: "CANARY-y" } } }] });
    assert.ok(!broken.ok);
    assert.deepEqual(broken.problems, ["terraform plan JSON $.resource_changes[0].address: expected string"]);
    assert.ok(!summarizeTerraformPlan("CANARY-z").ok);
    assert.ok(!summarizeTerraformPlan(null).ok);
  });

  it("accepts a plan without resource changes", () => {
    assert.deepEqual(summary({ format_version: "1.0" }).totals, { create: 0, update: 0, replace: 0, delete: 0 });
  });
});

describe("a plan with a Terraform plan", () => {
  const plan = () => buildPlan({ base: withGrants([grant("a")]), head: withGrants([grant("a", { tokenTtlSeconds: 900 })]), terraformPlan: fixture() });

  it("shows the counts in the first lines and a compact section, and no canary value anywhere", () => {
    const markdown = renderMarkdown(plan(), { marker: "tf" });
    assert.ok(markdown.split("\n").slice(0, 6).includes("**Terraform:** 2 to create, 4 to update, 2 to replace, 1 to destroy"), markdown);
    assert.ok(markdown.includes("<details><summary>Terraform plan: 2 to create, 4 to update, 2 to replace, 1 to destroy</summary>"));
    assert.ok(markdown.includes("- update `vault_kv_secret_v2.payments_prod_stripe` (holds secret values; none shown): `custom_metadata`, `data` (sensitive, value not shown), `data_json` (sensitive, value not shown)"));
    assertWellFormed(markdown);
    assertNoCanary(markdown, "markdown");
    const text = renderText(plan());
    assert.ok(text.includes("Terraform: 2 to create, 4 to update, 2 to replace, 1 to destroy"));
    assertNoCanary(text, "text");
    const json = renderJson(plan());
    assert.deepEqual(JSON.parse(json).terraform.totals, { create: 2, update: 4, replace: 2, delete: 1 });
    assertNoCanary(json, "JSON");
  });

  it("fails with a stable code when the Terraform plan is not `terraform show -json` output", () => {
    assert.throws(() => buildPlan({ base: null, head: withGrants([]), terraformPlan: { format_version: 3 } }), (error: unknown) => error instanceof PlanInputError && error.code === "KB_TERRAFORM_PLAN_INVALID" && /format_version: expected string/.test(error.message));
  });
});
