// Plans of two configurations: a widened grant shows as gained access with the invariant it
// breaks, a rebound role as such, and the comment stays bounded and inert whatever the names.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { vaultGraphFromTerraform, type ResourceInstance } from "../../../policy/access/vault/from-terraform.ts";
import { diffAccess } from "../../../policy/access/diff.ts";
import { renderAccessPlanMarkdown } from "../../../policy/access/render-plan.ts";

function graph(boundClaims: Record<string, string>, policy: string, extraRoles = 0) {
  const instances: ResourceInstance[] = [
    { mode: "managed", type: "vault_policy", address: "vault_policy.ci", attributes: { name: "ci", policy } },
    { mode: "managed", type: "vault_kv_secret_v2", address: "vault_kv_secret_v2.db", attributes: { mount: "secret", name: "app/prod/db" } },
    { mode: "managed", type: "vault_kv_secret_v2", address: "vault_kv_secret_v2.api", attributes: { mount: "secret", name: "app/dev/api" } },
    { mode: "managed", type: "vault_jwt_auth_backend_role", address: "vault_jwt_auth_backend_role.ci", attributes: { role_name: "ci", role_type: "jwt", bound_audiences: ["https://github.com/acme"], bound_claims: boundClaims, token_policies: ["ci"], token_max_ttl: 900 } },
  ];
  for (let index = 0; index < extraRoles; index += 1) {
    instances.push({ mode: "managed", type: "vault_jwt_auth_backend_role", address: `vault_jwt_auth_backend_role.r["${index}"]`, attributes: { role_name: `role-${index}\n## injected <img src=x> @everyone`, role_type: "jwt", bound_audiences: ["a"], bound_claims: { repository: `acme/${index}` }, token_policies: ["ci"], token_max_ttl: 900 } });
  }
  return vaultGraphFromTerraform(instances);
}

const devOnly = 'path "secret/data/app/dev/*" { capabilities = ["read"] }';
const devAndProd = 'path "secret/data/app/+/*" { capabilities = ["read"] }';
const main = { repository: "acme/app", ref: "refs/heads/main" };

describe("plans of two configurations", () => {
  it("names the access a widened policy gives and the invariant it breaks", () => {
    const plan = diffAccess(graph({ repository: "acme/app" }, devOnly), graph({ repository: "acme/app" }, devAndProd));
    assert.deepEqual(plan.gained.map((edge) => `${edge.role} ${edge.capability} ${edge.path}`), ["auth/jwt/role/ci read secret/data/app/prod/db"]);
    assert.deepEqual(plan.lost, []);
    assert.deepEqual(plan.broken.map((finding) => finding.id).sort(), ["KB201", "KB202"]);
    assert.deepEqual(diffAccess(graph({ repository: "acme/app" }, devAndProd), graph({ repository: "acme/app" }, devOnly)).mended.map((finding) => finding.id).sort(), ["KB201", "KB202"]);
  });

  it("reports a role that admits other jobs under the same name", () => {
    const plan = diffAccess(graph(main, devAndProd), graph({ repository: "acme/app" }, devAndProd));
    assert.deepEqual(plan.gained, []);
    assert.equal(plan.rebound.length, 1);
    assert.match(plan.rebound[0]!.before, /on refs\/heads\/main/);
    assert.doesNotMatch(plan.rebound[0]!.after, /refs\/heads\/main/);
  });

  it("keeps the comment within its budget, with a Mermaid picture whose labels cannot break out", () => {
    const plan = diffAccess(undefined, graph(main, devAndProd, 3000));
    const comment = renderAccessPlanMarkdown(plan, { marker: "stack", maxLength: 20_000 });
    assert.ok(comment.length <= 20_000, `${comment.length}`);
    assert.match(comment, /^<!-- keybridge-plan:stack -->/);
    assert.match(comment, /```mermaid\nflowchart LR/);
    assert.doesNotMatch(comment, /<img/);
    assert.doesNotMatch(comment, /\n## injected/);
    assert.doesNotMatch(comment, /@everyone/);
    assert.match(comment, /More entries than fit/);
  });
});
