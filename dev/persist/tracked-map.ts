// A Map that remembers which keys may have changed since the journal last looked. The stores
// change their entries in place (a token's use count, a KV key's versions), so any entry handed
// out by get() or by iteration counts as possibly changed; the journal re-encodes those and
// writes only the ones whose encoding really differs.
import type { Codec } from "./state-scope.ts";

/** A change found by collect(): the entry's new JSON, or null when it is gone. */
export type ChangeSink = (key: string, encoded: string | null) => void;

export class TrackedMap<V> extends Map<string, V> {
  private touched = new Set<string>();
  private everything = false;
  private retired = false;

  /**
   * @param stored what is on disk for this map, key → JSON; shared with the journal.
   * @param onTouch tells the journal this map has something to look at.
   */
  constructor(
    private readonly codec: Codec<V>,
    private readonly stored: Map<string, string>,
    private readonly onTouch: (map: TrackedMap<V>) => void,
  ) {
    super();
    for (const [key, json] of stored) super.set(key, codec.decode(JSON.parse(json), key));
  }

  override get(key: string): V | undefined {
    this.touch(key);
    return super.get(key);
  }

  override set(key: string, value: V): this {
    this.touch(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.touch(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of super.keys()) this.touch(key);
    super.clear();
  }

  override values(): MapIterator<V> {
    this.touchAll();
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    this.touchAll();
    return super.entries();
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.touchAll();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.touchAll();
    return super[Symbol.iterator]();
  }

  /** Reports every entry whose encoding changed since the last call, and updates `stored`. */
  collect(sink: ChangeSink): void {
    if (this.retired) return;
    const keys = this.everything ? new Set([...this.touched, ...super.keys()]) : this.touched;
    this.touched = new Set();
    this.everything = false;
    for (const key of keys) {
      const value = super.get(key);
      const keep = value !== undefined && (this.codec.keep?.(value) ?? true);
      const encoded = keep ? JSON.stringify(this.codec.encode(value)) : undefined;
      const before = this.stored.get(key);
      if (encoded === before) continue;
      if (encoded === undefined) this.stored.delete(key);
      else this.stored.set(key, encoded);
      sink(key, encoded ?? null);
    }
  }

  /** After its scope was dropped: whatever still touches it is no longer written. */
  retire(): void {
    this.retired = true;
    this.touched.clear();
  }

  private touch(key: string): void {
    if (this.retired) return;
    if (this.touched.size === 0 && !this.everything) this.onTouch(this);
    this.touched.add(key);
  }

  private touchAll(): void {
    if (this.retired || this.everything) return;
    if (this.touched.size === 0) this.onTouch(this);
    this.everything = true;
  }
}
