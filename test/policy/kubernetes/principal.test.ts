// The kubernetes principal of a policy document: loaded and validated, answered by the access
// graph ("service account ml/trainer in cluster gpu-prod"), from documents and from Terraform,
// and read by plans like any other holder.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubernetesPrincipal } from "../../../policy/document.ts";
import { parsePolicyDocument } from "../../../policy/load.ts";
import { graphFromDocument } from "../../../policy/access/from-document.ts";
import { vaultGraphFromTerraform } from "../../../policy/access/vault/from-terraform.ts";
import { infisicalGraphFromTerraform } from "../../../policy/access/infisical/from-terraform.ts";
import { ComputedValue } from "../../../policy/access/resources.ts";
import { describePrincipal } from "../../../policy/access/describe.ts";
import { AccessQuery } from "../../../policy/access/query.ts";
import { buildPlan } from "../../../policy/plan.ts";
import { renderText } from "../../../policy/render/text.ts";
import { grant, withGrants } from "../support/documents.ts";

const trainer: KubernetesPrincipal = { kind: "kubernetes", cluster: "gpu-prod", namespace: "ml", serviceAccount: "trainer" };
const synced = grant("k8s-gpu-prod-ml-trainer-prod-sync", { principal: trainer });

describe("the kubernetes principal", () => {
  it("loads from a document and fails when a name is not one Kubernetes accepts", () => {
    assert.ok(parsePolicyDocument(withGrants([synced])).ok);
    const bad = structuredClone(withGrants([synced]));
    Object.assign(bad.projects[0]!.grants[0]!.principal, { namespace: "ML_Team" });
    const result = parsePolicyDocument(bad);
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.problems.join("\n"), /principal\.namespace.*DNS-1123 label/);
  });

  it("answers who can read a synced secret with the service account and its cluster", () => {
    const query = new AccessQuery(graphFromDocument(withGrants([synced])));
    const found = query.whoCan("secret/data/payments/prod/database", ["read"]);
    assert.deepEqual(found.map((entry) => [describePrincipal(entry.role.principal), entry.role.id]), [
      ["service account ml/trainer in cluster gpu-prod", "auth/kubernetes-gpu-prod/role/payments-k8s-gpu-prod-ml-trainer-prod-sync"],
    ]);
    assert.deepEqual(query.whoCan("secret/data/payments/dev/database"), [], "a sync of prod reads nothing of dev");
  });

  it("reads a Terraform Kubernetes role's bound names and namespaces, and its mount's API host as the cluster", () => {
    const role = { address: "vault_kubernetes_auth_backend_role.trainer", type: "vault_kubernetes_auth_backend_role", mode: "managed", attributes: { backend: "kubernetes-gpu", role_name: "trainer", bound_service_account_names: ["trainer"], bound_service_account_namespaces: ["ml"], token_policies: ["read-db"] } };
    const config = { address: "vault_kubernetes_auth_backend_config.gpu", type: "vault_kubernetes_auth_backend_config", mode: "managed", attributes: { backend: "kubernetes-gpu", kubernetes_host: "https://10.0.0.1:6443" } };
    const withConfig = vaultGraphFromTerraform([role, config] as never);
    assert.equal(describePrincipal(withConfig.roles[0]!.principal), "service account ml/trainer in cluster https://10.0.0.1:6443");
    assert.equal(withConfig.roles[0]!.id, "auth/kubernetes-gpu/role/trainer");
    const alone = vaultGraphFromTerraform([role] as never);
    assert.equal(describePrincipal(alone.roles[0]!.principal), "service account trainer in namespace ml", "without its mount's config the cluster is unknown");
  });

  it("shows in a plan as a new holder of the secret", () => {
    const plan = buildPlan({ base: withGrants([]), head: withGrants([synced]) });
    assert.deepEqual(plan.counts.grants, { added: 1, removed: 0, changed: 0 });
    assert.match(renderText(plan), /service account ml\/trainer in cluster gpu-prod/);
  });

  it("reads a moved sync (another namespace) as one holder lost and another gained, never a widened grant", () => {
    const moved = grant("k8s-gpu-prod-ml-trainer-prod-sync", { principal: { ...trainer, namespace: "ml-batch" } });
    const plan = buildPlan({ base: withGrants([synced]), head: withGrants([moved]) });
    assert.deepEqual(plan.counts.grants, { added: 1, removed: 1, changed: 0 });
  });
});

describe("Infisical Kubernetes auth from Terraform", () => {
  it("reads the provider's allowed_service_account_names", () => {
    const identity = { address: "infisical_identity.trainer", type: "infisical_identity", mode: "managed", attributes: { name: "trainer" } };
    const auth = { address: "infisical_identity_kubernetes_auth.trainer", type: "infisical_identity_kubernetes_auth", mode: "managed", attributes: { identity_id: new ComputedValue("infisical_identity.trainer.id"), allowed_namespaces: ["ml"], allowed_service_account_names: ["trainer"] } };
    const [role] = infisicalGraphFromTerraform([identity, auth] as never).roles;
    assert.equal(describePrincipal(role!.principal), "service account trainer in namespace ml (identity trainer)");
  });
});
