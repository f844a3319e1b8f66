// The CRD models catch what strict apply or the operator would refuse: a checker that passes
// everything would make the manifest tests mean nothing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { validateManifest } from "../../testkit/operator-crds.ts";

const staticSecret = () => ({
  apiVersion: "secrets.hashicorp.com/v1beta1",
  kind: "VaultStaticSecret",
  metadata: { name: "database", namespace: "ml" },
  spec: { vaultAuthRef: "ml", type: "kv-v2", mount: "secret", path: "ml/prod/database", refreshAfter: "60s", destination: { name: "database", create: true } },
});

const vaultAuth = () => ({
  apiVersion: "secrets.hashicorp.com/v1beta1",
  kind: "VaultAuth",
  metadata: { name: "ml", namespace: "ml" },
  spec: { method: "kubernetes", mount: "kubernetes", kubernetes: { role: "ml", serviceAccount: "trainer", audiences: ["vault"] } },
});

describe("the operator CRD models", () => {
  it("accept the reference's own examples, with a defaulted required field left out", () => {
    assert.deepEqual(validateManifest(staticSecret()), []);
    assert.deepEqual(validateManifest(vaultAuth()), []);
    assert.deepEqual(validateManifest({ apiVersion: "secrets.hashicorp.com/v1beta1", kind: "VaultConnection", metadata: { name: "vault", namespace: "ml" }, spec: { address: "https://vault.internal:8200" } }), []);
  });

  it("fails when a field is misspelt (serviceAccountName for serviceAccount)", () => {
    const auth = vaultAuth();
    (auth.spec.kubernetes as Record<string, unknown>).serviceAccountName = "trainer";
    delete (auth.spec.kubernetes as Record<string, unknown>).serviceAccount;
    assert.deepEqual(validateManifest(auth), ["VaultAuth.spec.kubernetes.serviceAccountName: unknown field (strict apply refuses it)", "VaultAuth.spec.kubernetes.serviceAccount: required"]);
  });

  it("fails when an enum value, a duration pattern or a type is wrong", () => {
    const secret = staticSecret();
    Object.assign(secret.spec, { type: "kv2", refreshAfter: "1d", destination: { name: "database", create: "yes" } });
    assert.deepEqual(validateManifest(secret), [
      'VaultStaticSecret.spec.type: "kv2" is not one of kv-v1, kv-v2',
      "VaultStaticSecret.spec.destination.create: must be a boolean",
      'VaultStaticSecret.spec.refreshAfter: "1d" does not match /^([0-9]+(\\.[0-9]+)?(s|m|h))$/',
    ]);
  });

  it("fails when a required field, the names or the kind are wrong, or status is written", () => {
    const secret = staticSecret() as Record<string, any>;
    delete secret.spec.destination.name;
    secret.metadata = { name: "Database", namespace: "ml_team" };
    secret.status = {};
    assert.deepEqual(validateManifest(secret), [
      "VaultStaticSecret.status: not written by clients (status is the operator's) or unknown",
      'VaultStaticSecret.metadata.name: "Database" is not a DNS-1123 subdomain',
      'VaultStaticSecret.metadata.namespace: "ml_team" is not a DNS-1123 label',
      "VaultStaticSecret.spec.destination.name: required",
    ]);
    assert.deepEqual(validateManifest({ ...staticSecret(), apiVersion: "secrets.infisical.com/v1beta1", kind: "InfisicalSecret" }), ["secrets.infisical.com/v1beta1 InfisicalSecret: not a kind of the models"]);
  });
});
