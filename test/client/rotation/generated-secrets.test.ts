// Which generated secret a leaked path names: the drill rotates it on either backend.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatedSecretAt } from "../../../client/rotation/generated-secrets.ts";
import type { PolicyDocument } from "../../../policy/document.ts";

const rotation = { maxAgeSeconds: 86_400, strategy: "generated" as const, generator: { format: "hex" as const } };
const projects = [{ name: "ml", environments: [{ name: "prod", protected: true }], grants: [], secrets: [
  { name: "webhook", keys: ["signing-key"], rotation },
  { name: "database", keys: ["password"], rotation: { maxAgeSeconds: 3600, strategy: "manual" as const } },
] }];
const issuers = [{ name: "github", url: "https://token.actions.githubusercontent.com" }];

describe("generatedSecretAt", () => {
  it("on Vault reads the KV v2 data path of the secret", () => {
    const document = { version: 1, backend: { type: "vault", mount: "secret", authPath: "jwt" }, issuers, projects } as unknown as PolicyDocument;
    assert.equal(generatedSecretAt(document, "secret/data/ml/prod/webhook")?.secret.path, "ml/prod/webhook");
    assert.equal(generatedSecretAt(document, "/secret/data/ml/prod/webhook/")?.secret.path, "ml/prod/webhook");
    assert.equal(generatedSecretAt(document, "secret/data/ml/prod/database"), undefined, "a secret people rotate is not the drill's to rotate");
    assert.equal(generatedSecretAt(document, "ml/prod/webhook/signing-key"), undefined);
  });

  it("on Infisical reads one key of the secret's folder, as keybridge access names it", () => {
    const document = { version: 1, backend: { type: "infisical", url: "https://app.infisical.com", organizationId: "org" }, issuers, projects } as unknown as PolicyDocument;
    assert.equal(generatedSecretAt(document, "ml/prod/webhook/signing-key")?.secret.path, "ml/prod/webhook");
    assert.equal(generatedSecretAt(document, "ml/prod/database/password"), undefined);
    assert.equal(generatedSecretAt(document, "ml/dev/webhook/signing-key"), undefined, "an environment the project does not declare");
    assert.equal(generatedSecretAt(document, "secret/data/ml/prod/webhook"), undefined);
  });
});
