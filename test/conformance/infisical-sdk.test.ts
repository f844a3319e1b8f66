// @infisical/sdk (npm, Infisical's official Node SDK, not written here) against the dev backend
// started in-process: its siteUrl pointed at the local http address, universal auth login with
// the client id and secret Terraform made, token renewal, an access token from an OIDC login
// adopted with auth().accessToken(), listing a folder with imports and references, one secret,
// and a refusal surfacing as the SDK's request error. The SDK has no OIDC login of its own.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InfisicalSDK } from "@infisical/sdk";
import { ciIdentity, orgId, ref, startInfisicalBackend, type InfisicalTestBackend } from "../support/infisical-backend.ts";
import { shopAuth, shopClaims, shopDocument, shopValues } from "../support/infisical-shop.ts";

let backend: InfisicalTestBackend;

function document() {
  const doc = shopDocument(
    [ciIdentity("oidc_reader", "shop", shopAuth, [{ action: ["describeSecret", "readValue"], conditions: { environment: "prod", secretPath: { $glob: "/app/**" } } }])],
    {
      infisical_identity: { sdk: { name: "sdk", org_id: orgId, role: "no-access" } },
      infisical_identity_universal_auth: { sdk: { identity_id: ref("infisical_identity.sdk", "id"), access_token_ttl: 120, access_token_max_ttl: 600 } },
      infisical_identity_universal_auth_client_secret: {
        sdk: { identity_id: ref("infisical_identity.sdk", "id"), description: "conformance", depends_on: ["infisical_identity_universal_auth.sdk"] },
      },
      infisical_project_identity: {
        sdk: { project_id: ref("infisical_project.shop", "id"), identity_id: ref("infisical_identity.sdk", "id"), roles: [{ role_slug: "viewer" }] },
      },
    },
  );
  return {
    ...doc,
    output: {
      ...doc.output,
      client_id: { value: ref("infisical_identity_universal_auth_client_secret.sdk", "client_id") },
      client_secret: { value: ref("infisical_identity_universal_auth_client_secret.sdk", "client_secret"), sensitive: true },
    },
  };
}

before(async () => {
  backend = await startInfisicalBackend(document(), { infisicalRateLimit: 0 });
});

after(() => backend?.close());

async function universalClient(): Promise<InfisicalSDK> {
  const sdk = new InfisicalSDK({ siteUrl: backend.addr });
  await sdk.auth().universalAuth.login({ clientId: backend.outputs.client_id, clientSecret: backend.outputs.client_secret });
  return sdk;
}

describe("@infisical/sdk 5", () => {
  it("logs in with universal auth and lists a folder, references expanded (the SDK's default)", async () => {
    const sdk = await universalClient();
    assert.ok(sdk.auth().getAccessToken(), "the SDK adopted the access token");
    const { secrets } = await sdk.secrets().listSecrets({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/app" });
    const byKey = Object.fromEntries(secrets.map((secret) => [secret.secretKey, secret.secretValue]));
    assert.equal(byKey.API_URL, shopValues.apiUrl);
    assert.equal(byKey.LOGIN, `${shopValues.apiUrl}/login`, "the SDK sends expandSecretReferences=true by default");
    assert.equal(byKey.DB_URL, `postgres://app@${shopValues.dbHost}/shop`);
  });

  it("lists with imports; listSecretsWithImports merges them the SDK's way (own first, then the first import)", async () => {
    const sdk = await universalClient();
    const listed = await sdk.secrets().listSecrets({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/app", includeImports: true });
    assert.deepEqual(listed.imports?.map((entry) => `${entry.environment}:${entry.secretPath}`), ["dev:/app", "prod:/other", "prod:/shared"]);
    const merged = await sdk.secrets().listSecretsWithImports({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/app" });
    const byKey = Object.fromEntries(merged.map((secret) => [secret.secretKey, secret.secretValue]));
    assert.equal(byKey.API_URL, shopValues.apiUrl);
    assert.equal(byKey.SHARED, shopValues.shared);
    // The SDK keeps the first import's value; Infisical's own rule (and the Action) take the last one.
    assert.equal(byKey.CLASH, "from-dev-app");
  });

  it("reads one secret with its metadata", async () => {
    const sdk = await universalClient();
    const secret = await sdk.secrets().getSecret({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/app", secretName: "API_URL" });
    assert.equal(secret.secretValue, shopValues.apiUrl);
    assert.deepEqual((secret as unknown as { secretMetadata: unknown }).secretMetadata, [{ key: "owner", value: "team-shop" }]);
  });

  it("renews its token", async () => {
    const sdk = await universalClient();
    const before = sdk.auth().getAccessToken();
    const renewed = await sdk.auth().universalAuth.renew();
    assert.equal(renewed.auth().getAccessToken(), before, "Infisical renews the same token");
  });

  it("adopts an access token from an OIDC login and surfaces a refusal as its request error", async () => {
    const token = await backend.tokenFor(backend.outputs.oidc_reader, shopClaims);
    const sdk = new InfisicalSDK({ siteUrl: backend.addr }).auth().accessToken(token);
    const { secrets } = await sdk.secrets().listSecrets({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/app/db", expandSecretReferences: false });
    assert.deepEqual(secrets.map((secret) => secret.secretKey).sort(), ["HOST", "PASSWORD"]);
    await assert.rejects(
      sdk.secrets().listSecrets({ projectId: backend.outputs.project_id, environment: "prod", secretPath: "/shared" }),
      (error: Error) => error.name === "InfisicalSDKRequestError" && /\[StatusCode=403\] You are not allowed to describeSecret on secrets/.test(error.message),
    );
  });
});
