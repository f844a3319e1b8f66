// The emulator's RS256 key pair, made fresh at every start. Tokens carry `kid` (the key's RFC 7638
// thumbprint) and `x5t` in their header, as GitHub's do; the JWKS publishes the public half.
import { createHash, createPublicKey } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK } from "jose";

export interface SigningKey {
  readonly kid: string;
  readonly jwks: JSONWebKeySet;
  sign(claims: Readonly<Record<string, unknown>>): Promise<string>;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  // GitHub's x5t is a certificate thumbprint; with no certificate, the SHA-1 of the public key stands in.
  const der = createPublicKey(await exportSPKI(publicKey)).export({ type: "spki", format: "der" });
  const x5t = createHash("sha1").update(der).digest("base64url");
  const publicJwk: JWK = { ...jwk, kid, x5t, alg: "RS256", use: "sig" };
  return {
    kid,
    jwks: { keys: [publicJwk] },
    sign: (claims) => new SignJWT({ ...claims }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid, x5t }).sign(privateKey),
  };
}
