// Secrets older than the rotation rule their policy declares (kept in their metadata by the
// provider bridge): named with their age, never their value.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { readRotationMetadata } from "../policy/rotation-metadata.ts";
import type { SecretRead } from "../client/backends/backend.ts";

export interface OverdueSecret {
  readonly path: string;
  readonly ageSeconds: number;
  readonly maxAgeSeconds: number;
}

export function overdueSecrets(reads: Iterable<SecretRead>, now: Date): OverdueSecret[] {
  const overdue: OverdueSecret[] = [];
  for (const read of reads) {
    const rule = readRotationMetadata(read.customMetadata);
    if (!rule || !read.writtenAt) continue;
    const ageSeconds = Math.floor((now.getTime() - read.writtenAt.getTime()) / 1000);
    if (ageSeconds > rule.maxAgeSeconds) overdue.push({ path: read.path, ageSeconds, maxAgeSeconds: rule.maxAgeSeconds });
  }
  return overdue;
}

function days(seconds: number): string {
  const value = seconds / 86_400;
  return value >= 1 ? `${Math.floor(value)} day${Math.floor(value) === 1 ? "" : "s"}` : `${Math.floor(seconds / 3600)} h`;
}

export function describeOverdue(secret: OverdueSecret): string {
  return `${secret.path} was last written ${days(secret.ageSeconds)} ago; its rotation rule allows ${days(secret.maxAgeSeconds)}: rotate it`;
}

/** Warns about (or, by the rotation-check input, refuses) secrets older than their rule allows. */
export function checkRotation(reads: Iterable<SecretRead>, mode: "warn" | "fail" | "off", now: Date, warn: (line: string) => void): void {
  if (mode === "off") return;
  const overdue = overdueSecrets(reads, now).map(describeOverdue);
  if (mode === "warn") for (const line of overdue) warn(line);
  else if (overdue.length > 0) {
    throw new KeybridgeError("KB_ROTATION_OVERDUE", [...overdue, "Nothing was exported: rotation-check is fail"].join("\n"));
  }
}
