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
