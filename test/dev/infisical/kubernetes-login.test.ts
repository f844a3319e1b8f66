// Infisical's Kubernetes auth in keybridge dev, in-process with a test clock: a token minted in
// the identity's cluster logs in; every refusal is Infisical's 401 (another cluster, an expired
// token, a namespace, name or audience the identity does not allow), and an identity without
// Kubernetes auth is a 404.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { orgId, ref, startInfisicalBackend, type InfisicalTestBackend } from "../../support/infisical-backend.ts";

let backend: InfisicalTestBackend;
const prodHost = "https://gpu-prod.k8s.internal:6443";

before(async () => {
  backend = await startInfisicalBackend({
    resource: {
      infisical_identity: { trainer: { name: "trainer", org_id: orgId, role: "no-access" }, bare: { name: "bare", org_id: orgId, role: "no-access" } },
      infisical_identity_kubernetes_auth: {
        trainer: {
          identity_id: ref("infisical_identity.trainer", "id"), kubernetes_host: prodHost,
          allowed_namespaces: ["ml-*"], allowed_service_account_names: ["trainer, runner"], allowed_audience: "infisical", access_token_ttl: 300,
        },
      },
    },
    output: { trainer: { value: ref("infisical_identity.trainer", "id") }, bare: { value: ref("infisical_identity.bare", "id") } },
  });
});

after(() => backend?.close());

async function mint(cluster: string, namespace: string, name: string, audiences: string[], expirationSeconds = 600): Promise<string> {
  const reply = await fetch(`${backend.addr}/_kubernetes/${cluster}/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    method: "POST",
    headers: { "X-Vault-Token": backend.test.rootToken, "Content-Type": "application/json" },
    body: JSON.stringify({ spec: { audiences, expirationSeconds } }),
  });
  assert.equal(reply.status, 201);
  return ((await reply.json()) as { status: { token: string } }).status.token;
}

const login = (identityId: string, jwt: string) => backend.call("POST", "/api/v1/auth/kubernetes-auth/login", { json: { identityId, jwt } });

describe("Infisical Kubernetes auth", () => {
  it("logs in a service account the identity allows, with the identity's token TTL", async () => {
    const reply = await login(backend.outputs.trainer, await mint("gpu-prod.k8s.internal:6443", "ml-training", "runner", ["infisical"]));
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.expiresIn, 300);
    assert.equal(reply.body.tokenType, "Bearer");
  });

  it("refuses with 401 another cluster, a namespace, a name, an audience and an expired token", async () => {
    const cases: Array<[() => Promise<string>, RegExp]> = [
      [() => mint("gpu-dev.k8s.internal:6443", "ml-training", "trainer", ["infisical"]), /invalid bearer token/],
      [() => mint("gpu-prod.k8s.internal:6443", "research", "trainer", ["infisical"]), /K8s namespace not allowed/],
      [() => mint("gpu-prod.k8s.internal:6443", "ml-training", "notebook", ["infisical"]), /K8s name not allowed/],
      [() => mint("gpu-prod.k8s.internal:6443", "ml-training", "trainer", ["vault"]), /token audiences is invalid/],
    ];
    for (const [jwt, message] of cases) {
      const reply = await login(backend.outputs.trainer, await jwt());
      assert.equal(reply.status, 401, JSON.stringify(reply.body));
      assert.equal(reply.body.error, "UnauthorizedError");
      assert.match(reply.body.message, message);
    }
    const shortLived = await mint("gpu-prod.k8s.internal:6443", "ml-training", "trainer", ["infisical"]);
    backend.test.clock.advance(601);
    const expired = await login(backend.outputs.trainer, shortLived);
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /token has expired/);
  });

  it("answers 404 for an identity without Kubernetes auth", async () => {
    const reply = await login(backend.outputs.bare, await mint("gpu-prod.k8s.internal:6443", "ml-training", "trainer", ["infisical"]));
    assert.equal(reply.status, 404);
    assert.match(reply.body.message, /^Kubernetes auth method not found for identity/);
  });
});
