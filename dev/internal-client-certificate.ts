// The client certificate the dev backend presents to itself when its listener requires mutual TLS:
// a CA and a certificate it signs, made at start for this process only (never written anywhere).
import { generateKeys, privateKeyPem, selfSignedRoot, signLeaf } from "./vault/secrets/pki/certificates.ts";

export async function internalClientCertificate(): Promise<{ caPem: string; cert: string; key: string }> {
  const spec = { type: "ec", bits: 256 } as const;
  const now = Date.now();
  const notBefore = new Date(now - 60_000);
  const notAfter = new Date(now + 366 * 86_400_000);
  const caKeys = await generateKeys(spec);
  const ca = await selfSignedRoot({ commonName: "keybridge dev internal client CA", notBefore, notAfter, spec, keys: caKeys });
  const clientKeys = await generateKeys(spec);
  const client = await signLeaf(
    { commonName: "keybridge dev", dnsNames: [], ipAddresses: [], notBefore, notAfter, publicKey: clientKeys.publicKey, serverAuth: false, clientAuth: true },
    { certificatePem: ca.pem, signingKey: caKeys.privateKey, spec },
  );
  return { caPem: ca.pem, cert: client.pem, key: await privateKeyPem(clientKeys.privateKey, spec, "pkcs8") };
}
