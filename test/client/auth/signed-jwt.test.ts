// vault-action's jwtPrivateKey / jwtKeyPassword / jwtTtl: an RS256 JWT signed by the step itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { signJwt } from "../../../client/auth/signed-jwt.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const plainPem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const encryptedPem = pair.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "key-pw" }).toString();
const env = { GITHUB_REPOSITORY: "acme/app", GITHUB_REF: "refs/heads/main", GITHUB_SHA: "abc", GITHUB_ACTOR: "octocat", GITHUB_EVENT_NAME: "push", GITHUB_WORKFLOW: "ci" };

function decode(jwt: string): { header: any; payload: any; valid: boolean } {
  const [header, payload, signature] = jwt.split(".");
  const valid = createVerify("RSA-SHA256").update(`${header}.${payload}`).verify(pair.publicKey, Buffer.from(signature!, "base64url"));
  return { header: JSON.parse(Buffer.from(header!, "base64url").toString()), payload: JSON.parse(Buffer.from(payload!, "base64url").toString()), valid };
}

describe("a JWT signed with jwtPrivateKey", () => {
  it("is RS256, issued by vault-action, valid jwtTtl seconds, with the job's facts as claims", () => {
    const jwt = decode(signJwt({ privateKeyPem: plainPem, passphrase: undefined, ttlSeconds: 600 }, env, 1_700_000_000));
    assert.ok(jwt.valid);
    assert.deepEqual(jwt.header, { alg: "RS256", typ: "JWT" });
    assert.deepEqual(jwt.payload, {
      iss: "vault-action", iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_000_600,
      event: "push", workflow: "ci", sha: "abc", actor: "octocat", repository: "acme/app", ref: "refs/heads/main",
    });
  });

  it("opens an encrypted key with jwtKeyPassword", () => {
    assert.ok(decode(signJwt({ privateKeyPem: encryptedPem, passphrase: "key-pw", ttlSeconds: 60 }, env)).valid);
  });

  it("fails with one line, never the key, when the password is wrong or missing", () => {
    for (const passphrase of ["wrong", undefined]) {
      assert.throws(() => signJwt({ privateKeyPem: encryptedPem, passphrase, ttlSeconds: 60 }, env), (error: unknown) => {
        assert.ok(error instanceof KeybridgeError);
        assert.match(error.message, /^Input jwtPrivateKey \(value hidden\) cannot be read/);
        assert.ok(!error.message.includes("PRIVATE KEY"));
        return true;
      });
    }
  });
});
