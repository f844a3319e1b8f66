// PEM keys and certificates for the corpus, made with node:crypto. Node can sign but not issue
// certificates, so a self-signed X.509 v1 certificate is assembled here from a few DER parts and
// checked with X509Certificate before it is used.
import { X509Certificate, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));

function integer(bytes: Buffer): Buffer {
  const positive = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, positive);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const two = (n: number) => String(n).padStart(2, "0");
  const text = `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, "ascii"));
}

const name = (commonName: string): Buffer => sequence(set(sequence(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName, "utf8")))));

function pem(label: string, der: Buffer, eol = "\n"): string {
  const body = der.toString("base64").match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join(eol);
}

export type CertificateKey = "ed25519" | "p256";

/** A self-signed certificate for `commonName`, PEM without a trailing newline. */
export function selfSignedCertificate(commonName: string, keyType: CertificateKey, serial: Buffer): string {
  const { privateKey, publicKey } = keyType === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const algorithm = sequence(keyType === "ed25519" ? oid("1.3.101.112") : oid("1.2.840.10045.4.3.2"));
  const now = Date.now();
  const tbs = sequence(
    integer(serial),
    algorithm,
    name(commonName),
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name(commonName),
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign(keyType === "ed25519" ? null : "sha256", tbs, privateKey);
  const certificate = pem("CERTIFICATE", sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature]))));
  if (!new X509Certificate(certificate).verify(publicKey)) throw new Error(`the generated certificate for ${commonName} does not verify`);
  return certificate;
}

export interface PemKeys {
  readonly rsaPkcs8: string;
  readonly rsaPkcs1: string;
  readonly rsaPkcs8Crlf: string;
  readonly rsaEncrypted: string;
  readonly rsaPublic: string;
  readonly ecSec1: string;
  readonly ed25519: string;
}

type PemExport = { type: "pkcs1" | "pkcs8" | "sec1" | "spki"; format: "pem"; cipher?: string; passphrase?: string };

function exported(key: KeyObject, options: PemExport): string {
  return key.export(options as Parameters<KeyObject["export"]>[0] & { format: "pem" }).toString().trimEnd();
}

export function pemKeys(): PemKeys {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ed = generateKeyPairSync("ed25519");
  const rsaPkcs8 = exported(rsa.privateKey, { type: "pkcs8", format: "pem" });
  const der = createPrivateKey(rsaPkcs8).export({ type: "pkcs8", format: "der" });
  return {
    rsaPkcs8,
    rsaPkcs1: exported(rsa.privateKey, { type: "pkcs1", format: "pem" }),
    rsaPkcs8Crlf: pem("PRIVATE KEY", der, "\r\n"),
    rsaEncrypted: exported(rsa.privateKey, { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "leaks-suite" }),
    rsaPublic: exported(rsa.publicKey, { type: "spki", format: "pem" }),
    ecSec1: exported(ec.privateKey, { type: "sec1", format: "pem" }),
    ed25519: `${exported(ed.privateKey, { type: "pkcs8", format: "pem" })}\n`,
  };
}
