// Rotates one generated secret: if its current version is older than the rule (or it has none),
// writes a new version with a fresh value for each of its keys, check-and-set on the version it
// saw. A lost check-and-set means another rotator wrote first: "already rotated", not an error.
// Keys the rule does not generate are carried over unchanged. Outcomes never hold a value.
import type { Generator } from "../../policy/rotation-generator.ts";
import { generateValue } from "./generate-value.ts";
import type { SecretVersions, VersionedSecretStore } from "./versioned-store.ts";

export interface SecretRef {
  /** The secret's path in the store: "<project>/<environment>/<secret>". */
  readonly path: string;
  /** The keys that get a new value. */
  readonly keys: readonly string[];
}

export interface GeneratedRule {
  /** Any positive period: a new version is due when the current one is this old. */
  readonly maxAgeSeconds: number;
  readonly generator: Generator;
}

export interface RotateOptions {
  /** Say what is due, write nothing. */
  readonly dryRun?: boolean;
  /** Rotate now whatever the current version's age (a leaked value: the drill). */
  readonly force?: boolean;
  readonly now?: Date;
}

export type RotationOutcome =
  | { readonly kind: "rotated"; readonly path: string; readonly from: number; readonly to: number; readonly raced?: true }
  | { readonly kind: "would-rotate"; readonly path: string; readonly from: number }
  | { readonly kind: "already-rotated"; readonly path: string; readonly from: number }
  | { readonly kind: "not-due"; readonly path: string; readonly version: number; readonly nextInSeconds: number };

/** Seconds until the current version is due; 0 when it is due now (no version, a gone one, no time). */
export function secondsUntilDue(versions: SecretVersions | undefined, maxAgeSeconds: number, now: Date): number {
  const current = versions?.versions.get(versions.currentVersion);
  if (!current || current.gone || !current.createdAt) return 0;
  const ageSeconds = (now.getTime() - current.createdAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(maxAgeSeconds - ageSeconds));
}

export async function rotateSecret(store: VersionedSecretStore, secret: SecretRef, rule: GeneratedRule, options: RotateOptions = {}): Promise<RotationOutcome> {
  const versions = await store.versions(secret.path);
  const from = versions?.currentVersion ?? 0;
  const nextInSeconds = secondsUntilDue(versions, rule.maxAgeSeconds, options.now ?? new Date());
  if (nextInSeconds > 0 && !options.force) return { kind: "not-due", path: secret.path, version: from, nextInSeconds };
  if (options.dryRun) return { kind: "would-rotate", path: secret.path, from };
  const kept = from > 0 && !versions!.versions.get(from)?.gone ? await store.readVersion(secret.path, from) : undefined;
  const fresh = Object.fromEntries(secret.keys.map((key) => [key, generateValue(rule.generator)]));
  const result = await store.writeVersion(secret.path, { ...kept, ...fresh }, from);
  if ("conflict" in result) return { kind: "already-rotated", path: secret.path, from };
  return { kind: "rotated", path: secret.path, from, to: result.written, ...(result.raced ? { raced: true as const } : {}) };
}
