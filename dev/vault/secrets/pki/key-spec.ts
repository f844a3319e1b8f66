// The key of a CA or of an issued certificate: RSA or EC and its size, with Vault's defaults and
// its refusals. Kept apart from certificates.ts so that roles are checked without loading X.509 code.

export type KeyType = "rsa" | "ec";

export interface KeySpec {
  readonly type: KeyType;
  /** RSA modulus bits (2048, 3072, 4096) or the EC curve's size (256, 384, 521). */
  readonly bits: number;
}

/** Vault's defaults when key_bits is 0: 2048-bit RSA, P-256. */
export function keySpec(type: KeyType, bits: number): KeySpec {
  return { type, bits: bits === 0 ? (type === "rsa" ? 2048 : 256) : bits };
}

export const curves: Readonly<Record<number, { curve: string; hash: string }>> = {
  256: { curve: "P-256", hash: "SHA-256" },
  384: { curve: "P-384", hash: "SHA-384" },
  521: { curve: "P-521", hash: "SHA-512" },
};

/** A key spec Vault accepts, or the message Vault gives for one it does not. */
export function keySpecProblem(spec: KeySpec): string | undefined {
  if (spec.type === "rsa" && ![2048, 3072, 4096, 8192].includes(spec.bits)) return `unsupported bit length for RSA key: ${spec.bits}`;
  if (spec.type === "ec" && curves[spec.bits] === undefined) return `unsupported bit length for EC key: ${spec.bits}`;
  return undefined;
}
