// Restores a secret's previous version: its data is written as a new version (check-and-set on
// the current one), so the rotated-away value and every other version stay in the history.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import type { VersionedSecretStore } from "./versioned-store.ts";

export type RollbackOutcome =
  | { readonly kind: "rolled-back"; readonly path: string; readonly from: number; readonly to: number; readonly restored: number; readonly raced?: true }
  | { readonly kind: "would-roll-back"; readonly path: string; readonly from: number; readonly restored: number }
  | { readonly kind: "changed-meanwhile"; readonly path: string; readonly from: number };

export async function rollbackSecret(store: VersionedSecretStore, path: string, options: { readonly dryRun?: boolean } = {}): Promise<RollbackOutcome> {
  const versions = await store.versions(path);
  if (!versions || versions.currentVersion === 0) {
    throw new KeybridgeError("KB_ROLLBACK_IMPOSSIBLE", `${store.describePath(path)} has no versions in ${store.name}: check the path (<project>/<environment>/<secret>)`);
  }
  const from = versions.currentVersion;
  if (from === 1) throw new KeybridgeError("KB_ROLLBACK_IMPOSSIBLE", `${store.describePath(path)} has only v1: there is no earlier version to restore`);
  const restored = [...versions.versions.keys()].filter((number) => number < from && !versions.versions.get(number)!.gone).sort((a, b) => b - a)[0];
  const data = restored === undefined ? undefined : await store.readVersion(path, restored);
  if (restored === undefined || !data) {
    throw new KeybridgeError("KB_ROLLBACK_IMPOSSIBLE", `${store.describePath(path)} has no readable version before v${from} (older ones are deleted, destroyed or pruned by max_versions): nothing to restore`);
  }
  if (options.dryRun) return { kind: "would-roll-back", path, from, restored };
  const result = await store.writeVersion(path, data, from);
  if ("conflict" in result) return { kind: "changed-meanwhile", path, from };
  return { kind: "rolled-back", path, from, to: result.written, restored, ...(result.raced ? { raced: true as const } : {}) };
}
