// X.509 for the PKI engine: key pairs (RSA or ECDSA, through node's WebCrypto), a self-signed root
// and leaf certificates it signs, built with @peculiar/x509 (node:crypto parses certificates but
// cannot build them). Private keys leave here as PEM in Vault's default forms: PKCS#1 for RSA,
// SEC1 for EC, or PKCS#8 when the request asks for it.
// tsyringe, which @peculiar/x509 resolves its providers through, needs the Reflect polyfill first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import { curves, type KeySpec } from "./key-spec.ts";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

function algorithmOf(spec: KeySpec): RsaHashedKeyGenParams | (EcKeyGenParams & { hash: string }) {
  if (spec.type === "rsa") return { name: "RSASSA-PKCS1-v1_5", modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
  const { curve, hash } = curves[spec.bits]!;
  return { name: "ECDSA", namedCurve: curve, hash };
}

export async function generateKeys(spec: KeySpec): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithmOf(spec), true, ["sign", "verify"])) as CryptoKeyPair;
}

/** A stored signing key back as a CryptoKey (its public half comes from the certificate). */
export async function importSigningKey(pkcs8Pem: string, spec: KeySpec): Promise<CryptoKey> {
  const der = createPrivateKey(pkcs8Pem).export({ type: "pkcs8", format: "der" });
  return webcrypto.subtle.importKey("pkcs8", der, algorithmOf(spec), false, ["sign"]);
}

export type PrivateKeyFormat = "der" | "pem" | "pkcs8" | "";

export async function privateKeyPem(key: CryptoKey, spec: KeySpec, format: PrivateKeyFormat): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const keyObject = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const type = format === "pkcs8" ? "pkcs8" : spec.type === "rsa" ? "pkcs1" : "sec1";
  return (keyObject.export({ type, format: "pem" }) as string).trimEnd();
}

/** A positive 160-bit serial, as Vault's are, with the hex form Vault shows (aa:bb:…). */
function newSerial(): { hex: string; shown: string } {
  const bytes = randomBytes(20);
  bytes[0] = bytes[0]! & 0x7f;
  const hex = bytes.toString("hex");
  return { hex, shown: hex.match(/../g)!.join(":") };
}

export interface Issued {
  readonly pem: string;
  readonly serialNumber: string;
  readonly notAfter: Date;
}

function issued(certificate: x509.X509Certificate, serialNumber: string): Issued {
  return { pem: certificate.toString("pem"), serialNumber, notAfter: certificate.notAfter };
}

export interface RootRequest {
  readonly commonName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spec: KeySpec;
  readonly keys: CryptoKeyPair;
}

export async function selfSignedRoot(request: RootRequest): Promise<Issued> {
  const serial = newSerial();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.hex,
    name: [{ CN: [request.commonName] }],
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    signingAlgorithm: algorithmOf(request.spec),
    keys: request.keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(request.keys.publicKey),
    ],
  });
  return issued(certificate, serial.shown);
}

export interface LeafRequest {
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: CryptoKey;
  readonly serverAuth: boolean;
  readonly clientAuth: boolean;
}

export interface Issuer {
  readonly certificatePem: string;
  readonly signingKey: CryptoKey;
  readonly spec: KeySpec;
}

export async function signLeaf(request: LeafRequest, issuer: Issuer): Promise<Issued> {
  const serial = newSerial();
  const issuerCertificate = new x509.X509Certificate(issuer.certificatePem);
  const names = [...request.dnsNames.map((value) => ({ type: "dns" as const, value })), ...request.ipAddresses.map((value) => ({ type: "ip" as const, value }))];
  const usages = [...(request.serverAuth ? [x509.ExtendedKeyUsage.serverAuth] : []), ...(request.clientAuth ? [x509.ExtendedKeyUsage.clientAuth] : [])];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial.hex,
    subject: [{ CN: [request.commonName] }],
    issuer: issuerCertificate.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    signingAlgorithm: algorithmOf(issuer.spec),
    publicKey: request.publicKey,
    signingKey: issuer.signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement, true),
      ...(usages.length > 0 ? [new x509.ExtendedKeyUsageExtension(usages)] : []),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCertificate),
    ],
  });
  return issued(certificate, serial.shown);
}
