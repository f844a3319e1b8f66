// The TLS material of `keybridge dev`: read from --tls-cert/--tls-key (and --tls-client-ca) and
// checked before anything listens, or made by --tls: a throwaway CA and a server certificate for
// 127.0.0.1, ::1 and localhost, whose CA file clients are pointed at (caCertificate, VAULT_CACERT).
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevTls } from "../../dev/tls.ts";
import { UsageError } from "../usage-error.ts";

export interface TlsFlags {
  readonly generate: boolean;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly clientCaFile: string | undefined;
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); give a PEM file`);
  }
}

function certificateOf(flag: string, file: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new UsageError(`${flag}: ${file} holds no PEM certificate; give the certificate file (-----BEGIN CERTIFICATE-----)`);
  }
}

/** The files given, checked: each a certificate or key, and the key the certificate's. */
export function readTlsFiles(flags: TlsFlags): Omit<DevTls, "clientCa"> & { clientCa: string | undefined } {
  if (!flags.certFile || !flags.keyFile) throw new UsageError(`--tls-cert and --tls-key go together; give both, or --tls to make a certificate`);
  const cert = readPem("--tls-cert", flags.certFile);
  const key = readPem("--tls-key", flags.keyFile);
  const certificate = certificateOf("--tls-cert", flags.certFile, cert);
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new UsageError(`--tls-key: ${flags.keyFile} holds no PEM private key; give the key file of --tls-cert`);
  }
  if (!matches) throw new UsageError(`--tls-key: ${flags.keyFile} is not the key of the certificate in ${flags.certFile}`);
  return { cert, key, clientCa: readClientCa(flags.clientCaFile) };
}

/** --tls-client-ca's PEM, checked to hold a certificate. */
export function readClientCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const pem = readPem("--tls-client-ca", file);
  certificateOf("--tls-client-ca", file, pem);
  return pem;
}

export interface GeneratedTls {
  readonly tls: Omit<DevTls, "clientCa">;
  /** Where the CA certificate was written, for clients to trust. */
  readonly caFile: string;
  /** Removes what was written, unless it went into --data's directory. */
  dispose(): void;
}

/** A CA and a server certificate signed by it, valid for 30 days, the CA written to `dir` or a new temporary directory. */
export async function generateTls(dir: string | undefined): Promise<GeneratedTls> {
  const { throwawayCertificate } = await import("../../dev/throwaway-certificate.ts");
  const made = await throwawayCertificate({
    caName: "keybridge dev TLS CA", commonName: "localhost", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], serverAuth: true, clientAuth: true, days: 30,
  });
  const target = dir ?? mkdtempSync(join(tmpdir(), "keybridge-dev-tls-"));
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(target, "tls-ca.pem");
  writeFileSync(caFile, `${made.caPem}\n`, { mode: 0o644 });
  return {
    tls: { cert: made.cert, key: made.key },
    caFile,
    dispose: () => (dir ? undefined : rmSync(target, { recursive: true, force: true })),
  };
}
