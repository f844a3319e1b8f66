// A certificate signed by a CA made for it alone, both made now and kept in memory: what
// `keybridge dev --tls` serves with, and the client certificate the dev backend presents to itself
// when its listener requires mutual TLS. EC P-256 keys.
import { generateKeys, privateKeyPem, selfSignedRoot, signLeaf } from "./vault/secrets/pki/certificates.ts";

export interface ThrowawayRequest {
  readonly caName: string;
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly serverAuth: boolean;
  readonly clientAuth: boolean;
  readonly days: number;
}

export interface ThrowawayCertificate {
  readonly caPem: string;
  readonly cert: string;
  /** PKCS#8 PEM. */
  readonly key: string;
}

export async function throwawayCertificate(request: ThrowawayRequest): Promise<ThrowawayCertificate> {
  const spec = { type: "ec", bits: 256 } as const;
  const now = Date.now();
  // A minute back, for clocks a little behind this one.
  const notBefore = new Date(now - 60_000);
  const notAfter = new Date(now + request.days * 86_400_000);
  const caKeys = await generateKeys(spec);
  const ca = await selfSignedRoot({ commonName: request.caName, notBefore, notAfter, spec, keys: caKeys });
  const keys = await generateKeys(spec);
  const leaf = await signLeaf(
    { ...request, notBefore, notAfter, publicKey: keys.publicKey },
    { certificatePem: ca.pem, signingKey: caKeys.privateKey, spec },
  );
  return { caPem: ca.pem, cert: leaf.pem, key: await privateKeyPem(keys.privateKey, spec, "pkcs8") };
}
