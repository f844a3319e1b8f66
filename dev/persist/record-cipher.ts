// AES-256-GCM for the records of a data file. Every record gets a fresh random 96-bit nonce; the
// caller's authenticated data ties it to its file and position. The records are encrypted with a
// key derived from the user's key (HKDF), so the user's key itself is used for nothing else.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const nonceBytes = 12;
const tagBytes = 16;
export const sealOverhead = nonceBytes + tagBytes;
export const dataKeyBytes = 32;

export class RecordCipher {
  private readonly key: Buffer;

  constructor(dataKey: Uint8Array) {
    if (dataKey.length !== dataKeyBytes) throw new RangeError(`a data key has ${dataKeyBytes} bytes, not ${dataKey.length}`);
    this.key = Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), "keybridge dev data records v1", dataKeyBytes));
  }

  /** nonce ‖ ciphertext ‖ tag */
  seal(plaintext: Buffer, aad: Buffer): Buffer {
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** The plaintext, or undefined when the record does not authenticate (changed, moved, other key). */
  open(sealed: Buffer, aad: Buffer): Buffer | undefined {
    if (sealed.length < sealOverhead) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", this.key, sealed.subarray(0, nonceBytes));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(nonceBytes, sealed.length - tagBytes)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
