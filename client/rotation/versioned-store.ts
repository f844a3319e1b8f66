// What rotation needs of a backend: a secret's versions (numbers, times, gone or not), the data of
// one version, and a write that only lands on the version the writer saw (check-and-set). Vault
// KV v2 offers all of it (vault-kv-store.ts); Infisical all but check-and-set (infisical-store.ts).

export interface VersionFacts {
  readonly createdAt: Date | undefined;
  /** Deleted (soft) or destroyed: its data can no longer be read. */
  readonly gone: boolean;
}

export interface SecretVersions {
  /** 0 when the secret has metadata but was never written. */
  readonly currentVersion: number;
  readonly versions: ReadonlyMap<number, VersionFacts>;
}

/**
 * `raced`: the write landed but another writer's did too (a store without check-and-set, such as
 * Infisical, can only tell afterwards); the last write stands.
 */
export type WriteResult = { readonly written: number; readonly raced?: true } | { readonly conflict: true };

export interface VersionedSecretStore {
  /** "Vault", "OpenBao" or "Infisical", for messages. */
  readonly name: string;
  /** Where a secret path lives, for messages: "secret/data/ml/prod/webhook". */
  describePath(path: string): string;
  /** The secret's versions, or undefined when it does not exist yet. */
  versions(path: string): Promise<SecretVersions | undefined>;
  /** The key/value pairs of one version; undefined when that version is gone or was pruned. */
  readVersion(path: string, version: number): Promise<Readonly<Record<string, unknown>> | undefined>;
  /**
   * Writes a new version only if `expectedVersion` is still the current one (0: only if none
   * exists); without check-and-set, only if it still is right before the write.
   */
  writeVersion(path: string, data: Readonly<Record<string, unknown>>, expectedVersion: number): Promise<WriteResult>;
}
