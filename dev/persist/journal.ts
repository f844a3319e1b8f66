// The Vault state of a data directory: every store's entries as JSON records, and the data file
// they are saved in. commit() is what a request awaits before it is answered: it collects what
// changed (the tracked maps say where to look), appends it as one record and fsyncs. Requests that
// arrive while a record is being written wait for the next one, which takes all their changes at
// once (group commit), so concurrent changes are never lost and never cost one fsync each. When the
// appended changes outgrow the snapshot, the next commit writes a new file (a snapshot of
// everything) instead, atomically. A failed write stops all further commits: what is in memory is
// then ahead of the disk, and answering as if it were saved would be a lie.
import { join } from "node:path";
import { buildFile, frameRecord } from "./data-file.ts";
import { AppendFile, writeFileAtomically } from "./file-io.ts";
import { encodeBatch, encodeSnapshot, recordId, splitId } from "./batch.ts";
import { DataDirError } from "./errors.ts";
import type { RecordCipher } from "./record-cipher.ts";
import type { Codec, StateScope } from "./state-scope.ts";
import { TrackedMap } from "./tracked-map.ts";

/** Appended changes may grow to this, or to the snapshot's size if larger, before a rewrite. */
const minCompactionBytes = 1024 * 1024;

export interface JournalFile {
  readonly dir: string;
  readonly name: string;
  readonly cipher: RecordCipher;
}

/** Where a restored file stands; undefined for a new directory. */
export interface RestoredFile {
  readonly header: Buffer;
  readonly records: number;
  readonly snapshotBytes: number;
  readonly validBytes: number;
  /** The file must be rewritten before anything is appended (it ends in a torn record). */
  readonly rewrite: boolean;
}

export interface JournalStats {
  readonly records: number;
  readonly fileBytes: number;
  readonly rewrites: number;
}

export class Journal {
  /** map id → key → JSON: what is on disk once `pending` is written. */
  private readonly records = new Map<string, Map<string, string>>();
  private readonly maps = new Map<string, TrackedMap<unknown>>();
  private readonly dirty = new Map<TrackedMap<unknown>, string>();
  private pending = new Map<string, string | null>();
  private header: Buffer | undefined;
  private nextIndex = 0;
  private snapshotBytes = 0;
  private fileBytes = 0;
  private rewriteNext: boolean;
  private rewrites = 0;
  private writer: AppendFile | undefined;
  private queued: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private running = false;
  private failure: DataDirError | undefined;
  private closed = false;
  readonly path: string;
  readonly scope: StateScope;

  /** `state` is the restored records (id → JSON), in file order. */
  constructor(
    private readonly file: JournalFile,
    state: ReadonlyMap<string, string>,
    restored: RestoredFile | undefined,
  ) {
    this.path = join(file.dir, file.name);
    for (const [id, json] of state) {
      const [mapId, key] = splitId(id) ?? [];
      if (mapId === undefined || key === undefined) continue;
      this.storedFor(mapId).set(key, json);
    }
    if (restored) {
      this.header = restored.header;
      this.nextIndex = restored.records;
      this.snapshotBytes = restored.snapshotBytes;
      this.fileBytes = restored.validBytes;
    }
    this.rewriteNext = !restored || restored.rewrite || this.tooLong();
    this.scope = this.scopeAt("", restored !== undefined);
  }

  /** Resolves once every change made before the call is on disk (at once when there is none). */
  commit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new DataDirError(`${this.path} is closed: keybridge dev is stopping`));
    const idle = this.dirty.size === 0 && this.pending.size === 0 && !this.rewriteNext && !this.running && !this.queued;
    if (idle) return Promise.resolve();
    if (!this.queued) {
      const batch = this.tail.then(() => {
        this.queued = undefined;
        return this.flush();
      });
      this.queued = batch;
      this.tail = batch.catch(() => {});
    }
    return this.queued;
  }

  /** Saves what is left and closes the file; the journal takes no more commits. */
  async close(): Promise<void> {
    try {
      if (!this.failure && !this.closed) await this.commit();
    } finally {
      this.closed = true;
      await this.tail;
      await this.writer?.close();
      this.writer = undefined;
    }
  }

  /** A start that was refused after the file was read: nothing more is written. */
  async abandon(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.writer?.close();
    this.writer = undefined;
  }

  stats(): JournalStats {
    return { records: [...this.records.values()].reduce((sum, stored) => sum + stored.size, 0), fileBytes: this.fileBytes, rewrites: this.rewrites };
  }

  private async flush(): Promise<void> {
    this.running = true;
    try {
      if (this.failure) throw this.failure;
      for (const [map, mapId] of this.dirty) map.collect((key, encoded) => this.pending.set(recordId(mapId, key), encoded));
      this.dirty.clear();
      if (this.pending.size === 0 && !this.rewriteNext) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        if (this.rewriteNext || this.tooLong()) await this.rewrite();
        else await this.append(encodeBatch(batch));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
        this.failure = new DataDirError(
          `writing ${this.path} failed (${code}): the change was not saved and keybridge dev takes no more requests to the Vault API; fix the cause (disk space, permissions) and restart it`,
        );
        throw this.failure;
      }
    } finally {
      this.running = false;
    }
  }

  private async append(plaintext: Buffer): Promise<void> {
    const frame = frameRecord(this.file.cipher, this.header!, this.nextIndex, plaintext);
    this.writer ??= await AppendFile.open(this.path);
    await this.writer.append(frame);
    this.nextIndex += 1;
    this.fileBytes += frame.length;
  }

  /** A new file holding everything (including what was pending), swapped in atomically. */
  private async rewrite(): Promise<void> {
    const entries = function* (records: Map<string, Map<string, string>>): Generator<[string, string]> {
      for (const [mapId, stored] of records) for (const [key, json] of stored) yield [recordId(mapId, key), json];
    };
    const snapshot = encodeSnapshot(entries(this.records));
    const { bytes, header } = buildFile(this.file.cipher, this.file.name, snapshot);
    await this.writer?.close();
    this.writer = undefined;
    await writeFileAtomically(this.file.dir, this.file.name, bytes);
    this.header = header;
    this.nextIndex = snapshot.length;
    this.snapshotBytes = bytes.length;
    this.fileBytes = bytes.length;
    this.rewriteNext = false;
    this.rewrites += 1;
  }

  private tooLong(): boolean {
    return this.fileBytes - this.snapshotBytes > Math.max(minCompactionBytes, this.snapshotBytes);
  }

  private storedFor(mapId: string): Map<string, string> {
    let stored = this.records.get(mapId);
    if (!stored) {
      stored = new Map();
      this.records.set(mapId, stored);
    }
    return stored;
  }

  private openMap<V>(mapId: string, codec: Codec<V>): Map<string, V> {
    if (this.maps.has(mapId)) throw new RangeError(`the state map ${mapId} is open twice`);
    let map: TrackedMap<V>;
    try {
      map = new TrackedMap(codec, this.storedFor(mapId), (touched) => this.dirty.set(touched as TrackedMap<unknown>, mapId));
    } catch (error) {
      if (error instanceof DataDirError) throw error;
      // It authenticated, so it was written by us: by a version that stored it differently.
      throw new DataDirError(`${this.path}: the stored ${mapId} could not be read back (${(error as Error).name}): it was written by another keybridge version; use that version, or start with an empty data directory`);
    }
    this.maps.set(mapId, map as TrackedMap<unknown>);
    return map;
  }

  private drop(prefix: string): void {
    for (const [mapId, stored] of [...this.records]) {
      if (!mapId.startsWith(prefix)) continue;
      for (const key of stored.keys()) this.pending.set(recordId(mapId, key), null);
      this.records.delete(mapId);
    }
    for (const [mapId, map] of [...this.maps]) {
      if (!mapId.startsWith(prefix)) continue;
      map.retire();
      this.maps.delete(mapId);
      this.dirty.delete(map);
    }
  }

  private scopeAt(prefix: string, restored: boolean): StateScope {
    const checked = (name: string): string => {
      if (name === "" || /[/\u0000]/.test(name)) throw new RangeError(`a state name may not be empty or hold "/" or NUL: ${JSON.stringify(name)}`);
      return name;
    };
    return {
      restored,
      map: (name, codec) => this.openMap(prefix + checked(name), codec),
      child: (name) => this.scopeAt(`${prefix}${checked(name)}/`, restored),
      drop: () => this.drop(prefix),
    };
  }
}
