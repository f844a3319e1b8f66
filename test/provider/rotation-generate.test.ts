// Rotation.generate(): the generator spec reaches keybridge.policy.json, and bad specs fail at
// synth with KB_CONSTRUCT_INVALID naming the bad value.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TerraformStack } from "../../provider/cdk.ts";
import { testingApp } from "./support/testing-app.ts";
import { Duration, Rotation, SecretsPlatform, VaultBackend } from "../../provider/index.ts";
import { parsePolicyDocument } from "../../policy/load.ts";

function platform() {
  const stack = new TerraformStack(testingApp(), "stack");
  return new SecretsPlatform(stack, "secrets", { backend: VaultBackend.kvV2() });
}

describe("Rotation.generate", () => {
  it("puts strategy generated and the generator into the policy document", () => {
    const secrets = platform();
    const ml = secrets.addProject("ml", { environments: ["prod"] });
    ml.addSecret("webhook", { keys: ["signing-key"], rotation: Rotation.generate({ every: Duration.days(30), format: "base64url", length: 48 }) });
    const document = secrets.toPolicyDocument();
    assert.deepEqual(document.projects[0]!.secrets[0]!.rotation, { maxAgeSeconds: 30 * 86_400, strategy: "generated", generator: { format: "base64url", length: 48 } });
    assert.equal(parsePolicyDocument(JSON.parse(JSON.stringify(document))).ok, true);
  });

  it("fails when the length is out of bounds", () => {
    assert.throws(() => Rotation.generate({ every: Duration.days(1), format: "hex", length: 4 }), /^KeybridgeError: KB_CONSTRUCT_INVALID|length 4 is out of bounds/);
    assert.throws(() => Rotation.generate({ every: Duration.days(1), alphabet: "abc", length: 100_000 }), (error: Error) => /KB_CONSTRUCT_INVALID/.test(`${(error as { code?: string }).code} ${error.message}`) && /length 100000 is out of bounds/.test(error.message));
  });

  it("fails when the period is shorter than an hour", () => {
    assert.throws(() => Rotation.generate({ every: Duration.minutes(5), format: "uuid" }), /out of bounds: give one between 1 hour and 1000 days/);
  });

  it("fails when the secret lists no keys", () => {
    const ml = platform().addProject("ml", { environments: ["prod"] });
    assert.throws(() => ml.addSecret("webhook", { rotation: Rotation.generate({ every: Duration.days(1), format: "hex" }) }), /generated \(Rotation.generate\) but lists no keys/);
  });
});

describe("the document reader", () => {
  it("takes a generated rule of any positive period, and refuses one without a generator", () => {
    const document = (rotation: unknown) => ({
      version: 1,
      backend: { type: "vault", mount: "secret", authPath: "jwt" },
      issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
      projects: [{ name: "ml", environments: [{ name: "prod", protected: true }], secrets: [{ name: "webhook", keys: ["k"], rotation }], grants: [] }],
    });
    assert.equal(parsePolicyDocument(document({ maxAgeSeconds: 1, strategy: "generated", generator: { format: "hex" } })).ok, true);
    const refused = parsePolicyDocument(document({ maxAgeSeconds: 1, strategy: "generated" }));
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? "" : refused.problems.join("\n"), /\$\.projects\[0\]\.secrets\[0\]\.rotation\.generator: strategy "generated" needs a generator/);
  });
});
