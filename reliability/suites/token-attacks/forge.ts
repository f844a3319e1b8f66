// Forged and broken JWTs for attacking a JWT login: signed with keys the attacker holds, with
// `alg: none`, with the algorithm confused, or malformed.
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicPem: string;
}

export function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

const base64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export function signRs256(claims: Record<string, unknown>, key: KeyObject, header: Record<string, unknown> = {}): string {
  const signingInput = `${base64url({ alg: "RS256", typ: "JWT", ...header })}.${base64url(claims)}`;
  const signature = createSign("RSA-SHA256").update(signingInput).sign(key).toString("base64url");
  return `${signingInput}.${signature}`;
}

/** The classic confusion: HS256 with the server's RSA public key (which anyone may read) as the secret. */
export function signHs256WithPublicKey(claims: Record<string, unknown>, publicPem: string): string {
  const signingInput = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}`;
  return `${signingInput}.${createHmac("sha256", publicPem).update(signingInput).digest("base64url")}`;
}

export function unsigned(claims: Record<string, unknown>): string {
  return `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.`;
}

/** A valid token's signature on another payload. */
export function swapPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${base64url(claims)}.${signature}`;
}

/** GitHub-like claims for `repository` at `now` (seconds), with the given audience. */
export function githubClaims(now: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: "https://token.actions.githubusercontent.com",
    aud: "https://github.com/acme",
    sub: "repo:acme/training:ref:refs/heads/main",
    repository: "acme/training",
    ref: "refs/heads/main",
    runner_environment: "self-hosted",
    iat: now,
    nbf: now - 600,
    exp: now + 300,
    jti: `attack-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}
