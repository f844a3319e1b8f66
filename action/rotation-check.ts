// Secrets older than the rotation rule their policy declares (kept in their metadata by the
// provider bridge): named with their age, never their value.
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
