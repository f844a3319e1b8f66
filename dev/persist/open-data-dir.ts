// `--data DIR` at start: make the directory (0700), take its lock, read and authenticate the data
// file, and hand the records to a journal. Everything that could refuse the start happens here,
// before anything listens; a refusal leaves the file as it is.
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { decodeBatch } from "./batch.ts";
import { dataFormat, parseFile } from "./data-file.ts";
import { lockDirectory } from "./dir-lock.ts";
import { DataDirError } from "./errors.ts";
import { Journal, type RestoredFile } from "./journal.ts";
import { RecordCipher } from "./record-cipher.ts";

export const dataFileName = "vault.kbd";

export interface DataDir {
  readonly dir: string;
  readonly journal: Journal;
  /** Saves what is left, closes the file and releases the lock. */
  close(): Promise<void>;
  /** For a start refused after the file was read: releases the lock and writes nothing. */
  abandon(): Promise<void>;
}

async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function openDataDir(dataDir: string, dataKey: Uint8Array, warn: (line: string) => void): Promise<DataDir> {
  const dir = resolve(dataDir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DataDirError(`cannot create the data directory ${dir} (${(error as NodeJS.ErrnoException).code}): choose a directory you can write to`);
  }
  const lock = await lockDirectory(dir);
  try {
    const cipher = new RecordCipher(dataKey);
    const path = join(dir, dataFileName);
    // A rewrite cut short by a crash: the file it would have replaced is still whole.
    await rm(`${path}.tmp`, { force: true });
    const bytes = await readIfThere(path);
    const state = new Map<string, string>();
    let restored: RestoredFile | undefined;
    if (bytes) {
      const parsed = parseFile(bytes, cipher, path, dataFileName);
      parsed.records.forEach((plaintext, index) => {
        const changes = decodeBatch(plaintext);
        if (!changes) throw new DataDirError(`${path}: record ${index} is not in the format this keybridge reads: use the keybridge version that wrote it, or start with an empty data directory`);
        // A deleted entry is removed, not kept as a tombstone; a changed one keeps its place, as in a Map.
        for (const [id, json] of changes) {
          if (json === null) state.delete(id);
          else state.set(id, json);
        }
      });
      if (parsed.torn) {
        warn(`keybridge dev: ${path} ends in a change cut short by a crash (${parsed.torn.bytes} bytes at offset ${parsed.torn.offset}); it was never acknowledged and is dropped`);
      }
      restored = {
        header: parsed.header,
        records: parsed.records.length,
        snapshotBytes: parsed.snapshotBytes,
        validBytes: parsed.validBytes,
        // A torn tail is cut off, and an older format is brought up to date, before anything is appended.
        rewrite: parsed.torn !== undefined || parsed.format !== dataFormat,
      };
    }
    const journal = new Journal({ dir, name: dataFileName, cipher }, state, restored);
    return {
      dir,
      journal,
      async close() {
        try {
          await journal.close();
        } finally {
          await lock.release();
        }
      },
      async abandon() {
        try {
          await journal.abandon();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
