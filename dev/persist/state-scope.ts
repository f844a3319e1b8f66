// Where the Vault stores keep their entries. Each store asks its scope for maps; in memory (no
// --data) they are plain Maps, in a data directory they are maps whose changes the journal writes
// to disk (and that come back filled after a restart). A store does not know which one it has.

/** How a store's values become JSON and back. */
export interface Codec<V> {
  encode(value: V): unknown;
  /** `key` is the entry's key in its map (a role's name, a token's digest). */
  decode(json: unknown, key: string): V;
  /** Entries that live in memory only, e.g. the root token of this start; all are kept if absent. */
  keep?(value: V): boolean;
}

export interface StateScope {
  /** True when the state was read back from a data directory: defaults must not be added again. */
  readonly restored: boolean;
  /** The map named `name` in this scope, filled with what was stored when restored. */
  map<V>(name: string, codec: Codec<V>): Map<string, V>;
  /** A nested scope: one per mount, one per AppRole role's secret IDs. */
  child(name: string): StateScope;
  /** Forgets every map of this scope and its children (a disabled mount, a deleted role). */
  drop(): void;
}

/** For values that are plain JSON data already (no Maps, no functions). */
export function plainCodec<V>(keep?: (value: V) => boolean): Codec<V> {
  return { encode: (value) => value, decode: (json) => json as V, ...(keep ? { keep } : {}) };
}

/** Without --data: everything in memory, as before. */
export const memoryScope: StateScope = {
  restored: false,
  map: () => new Map(),
  child: () => memoryScope,
  drop: () => {},
};
