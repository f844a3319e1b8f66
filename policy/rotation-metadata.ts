// The custom metadata Keybridge keeps on each secret (Vault KV metadata, Infisical secret metadata),
// where the Action reads the rotation rule without needing the policy document. Values are strings.
import type { Secret } from "./document.ts";

export const metadataKeys = {
  managed: "keybridge-managed",
  keys: "keybridge-keys",
  rotationMaxAge: "keybridge-rotation-max-age",
  rotationStrategy: "keybridge-rotation-strategy",
} as const;

export function rotationMetadata(secret: Secret): Record<string, string> {
  return {
    [metadataKeys.managed]: "true",
    [metadataKeys.keys]: [...secret.keys].sort().join(","),
    ...(secret.rotation
      ? { [metadataKeys.rotationMaxAge]: `${secret.rotation.maxAgeSeconds}s`, [metadataKeys.rotationStrategy]: secret.rotation.strategy }
      : {}),
  };
}

export interface RotationRule {
  readonly maxAgeSeconds: number;
  readonly strategy: string;
}

/** The rotation rule kept in a secret's custom metadata, if it has a readable one. */
export function readRotationMetadata(metadata: Readonly<Record<string, unknown>> | null | undefined): RotationRule | undefined {
  const maxAge = metadata?.[metadataKeys.rotationMaxAge];
  const match = typeof maxAge === "string" ? /^(\d+)s$/.exec(maxAge) : null;
  if (!match) return undefined;
  const strategy = metadata?.[metadataKeys.rotationStrategy];
  return { maxAgeSeconds: Number(match[1]), strategy: typeof strategy === "string" ? strategy : "manual" };
}
