// For the persistence tests: a temporary data directory with a key, and the data file taken apart
// into its header and record frames (4-byte length + sealed bytes) so that a test can change,
// swap, drop or cut them the way a disk or an attacker would.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { splitFrames } from "../../dev/persist/data-file.ts";

export interface TempData {
  /** Parent of `dir`: key files that must be outside the data directory go here. */
  readonly root: string;
  readonly dir: string;
  readonly key: Buffer;
  readonly file: string;
  cleanup(): Promise<void>;
}

export async function tempData(): Promise<TempData> {
  const root = await mkdtemp(join(tmpdir(), "keybridge-data-"));
  const dir = join(root, "data");
  return { root, dir, key: randomBytes(32), file: join(dir, "vault.kbd"), cleanup: () => rm(root, { recursive: true, force: true }) };
}

export interface Frames {
  readonly header: Buffer;
  readonly frames: Buffer[];
  /** Bytes after the last whole frame. */
  readonly rest: Buffer;
}

export async function readFrames(file: string): Promise<Frames> {
  return splitFrames(await readFile(file));
}

export async function writeFrames(file: string, parts: Frames): Promise<void> {
  await writeFile(file, Buffer.concat([parts.header, ...parts.frames, parts.rest]));
}
