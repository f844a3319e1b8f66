// vault-action's jwtPrivateKey: instead of the job's OIDC token, a JWT the step signs itself with
// RS256, issuer "vault-action", valid jwtTtl seconds, with the job's facts as claims (from the
// runner's environment), for a Vault JWT role configured with the matching public key.
import type { KeyObject } from "node:crypto";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { Env, LoginContext, LoginTarget } from "./auth-method.ts";

export interface SigningKey {
  /** PEM text of an RSA private key, possibly encrypted. */
  readonly privateKeyPem: string;
  readonly passphrase: string | undefined;
  readonly ttlSeconds: number;
}

export interface SignedJwtSettings extends SigningKey {
  readonly role?: string | undefined;
  readonly path?: string | undefined;
}

export function target(settings: SignedJwtSettings): LoginTarget {
  return { role: settings.role, authPath: settings.path };
}

export async function login(backend: SecretsBackend, settings: SignedJwtSettings, context: LoginContext): Promise<Session> {
  context.log?.(`Signing a JWT with the given private key (RS256, valid ${settings.ttlSeconds} s)`);
  const jwt = signJwt(settings, context.env);
  context.onCredential?.(jwt);
  return backend.loginWithJwt(jwt);
}

function privateKey(key: SigningKey): KeyObject {
  try {
    return process.getBuiltinModule("node:crypto").createPrivateKey({ key: key.privateKeyPem, format: "pem", ...(key.passphrase ? { passphrase: key.passphrase } : {}) });
  } catch {
    throw new KeybridgeError("KB_INPUT_INVALID",
      `Input jwtPrivateKey (value hidden) cannot be read as a PEM private key${key.passphrase ? " with jwtKeyPassword" : ""}: give base64 of an RSA private key PEM${key.passphrase ? "" : ", and jwtKeyPassword if it is encrypted"}`);
  }
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signJwt(key: SigningKey, env: Env, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const signer = privateKey(key);
  if (signer.asymmetricKeyType !== "rsa") {
    throw new KeybridgeError("KB_INPUT_INVALID", `Input jwtPrivateKey (value hidden) is a ${signer.asymmetricKeyType ?? "non-RSA"} key: RS256 needs an RSA private key`);
  }
  const header = { alg: "RS256", typ: "JWT" };
  const payload = {
    iss: "vault-action",
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + key.ttlSeconds,
    event: env.GITHUB_EVENT_NAME,
    workflow: env.GITHUB_WORKFLOW,
    sha: env.GITHUB_SHA,
    actor: env.GITHUB_ACTOR,
    repository: env.GITHUB_REPOSITORY,
    ref: env.GITHUB_REF,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = process.getBuiltinModule("node:crypto").createSign("RSA-SHA256").update(signingInput).sign(signer);
  return `${signingInput}.${base64url(signature)}`;
}
