// The data file's format. Two text lines say what the file is: a magic line, then a JSON header
// (format, a random id per written file, how many records form the snapshot). Then records, each
// a 4-byte big-endian length and an AES-GCM sealed batch of changes. A record's authenticated data
// is the header plus its index, so a record only opens in its own file, at its own place: swapped,
// reordered, replayed or spliced records, a changed header and a wrong key all fail the same way.
// The first `snapshot` records are the state at the time the file was written (at least one, so
// that a wrong key is always noticed); the ones after it are changes appended since.
import { randomBytes } from "node:crypto";
import * as z from "zod";
import { DataDirError } from "./errors.ts";
import { sealOverhead, type RecordCipher } from "./record-cipher.ts";

const magic = "keybridge-dev-data\n";
export const dataFormat = 1;
/** No batch comes near this (requests are at most 4 MiB); a larger length means the file was changed. */
export const maxRecordBytes = 64 * 1024 * 1024;
const lengthBytes = 4;
const maxHeaderBytes = 4096;

const headerSchema = z.object({
  format: z.literal(dataFormat),
  file: z.string(),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  snapshot: z.number().int().min(1),
  written: z.string(),
});

export interface ParsedFile {
  /** The header bytes every record's authenticated data starts with. */
  readonly header: Buffer;
  readonly snapshotRecords: number;
  /** Plaintexts of every complete record, in order. */
  readonly records: readonly Buffer[];
  /** Where the snapshot ends and the appended changes begin. */
  readonly snapshotBytes: number;
  /** Where the valid part ends (appends continue here). */
  readonly validBytes: number;
  /** A last record cut short by a crash while it was appended: never acknowledged. */
  readonly torn?: { readonly offset: number; readonly bytes: number };
}

const aad = (header: Buffer, index: number): Buffer => Buffer.concat([header, Buffer.from(`record ${index}`)]);

export function frameRecord(cipher: RecordCipher, header: Buffer, index: number, plaintext: Buffer): Buffer {
  const sealed = cipher.seal(plaintext, aad(header, index));
  const length = Buffer.alloc(lengthBytes);
  length.writeUInt32BE(sealed.length);
  return Buffer.concat([length, sealed]);
}

/** A whole new file whose snapshot is `snapshot` (one plaintext per record). */
export function buildFile(cipher: RecordCipher, fileName: string, snapshot: readonly Buffer[]): { bytes: Buffer; header: Buffer } {
  if (snapshot.length === 0) throw new RangeError("a data file's snapshot has at least one record");
  const fields = { format: dataFormat, file: fileName, id: randomBytes(16).toString("hex"), snapshot: snapshot.length, written: new Date().toISOString() };
  const header = Buffer.from(`${magic}${JSON.stringify(fields)}\n`);
  return { bytes: Buffer.concat([header, ...snapshot.map((plaintext, index) => frameRecord(cipher, header, index, plaintext))]), header };
}

/** Reads and authenticates every record; a problem other than a torn last append refuses the file. */
export function parseFile(bytes: Buffer, cipher: RecordCipher, path: string, fileName: string): ParsedFile {
  const fix = "restore the data directory from a backup, or start with the key it was written with; the file is left as it is";
  const refuse = (what: string): never => {
    throw new DataDirError(`${path}: ${what}: changed on disk or the key is wrong; ${fix}`);
  };
  const firstEnd = bytes.indexOf(0x0a);
  const secondEnd = firstEnd < 0 ? -1 : bytes.indexOf(0x0a, firstEnd + 1);
  if (bytes.subarray(0, firstEnd + 1).toString("latin1") !== magic || secondEnd < 0 || secondEnd > maxHeaderBytes) {
    refuse("not a keybridge dev data file (its header is missing or damaged)");
  }
  let fields: z.infer<typeof headerSchema> | undefined;
  try {
    fields = headerSchema.parse(JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString("utf8")));
  } catch {
    fields = undefined;
  }
  if (!fields || fields.file !== fileName) return refuse("its header is damaged or belongs to another file");
  const header = bytes.subarray(0, secondEnd + 1);
  const records: Buffer[] = [];
  let offset = header.length;
  let snapshotBytes = 0;
  while (offset < bytes.length) {
    const index = records.length;
    const rest = bytes.length - offset;
    const length = rest >= lengthBytes ? bytes.readUInt32BE(offset) : undefined;
    if (length !== undefined && (length < sealOverhead || length > maxRecordBytes)) refuse(`record ${index} has an impossible length`);
    if (length === undefined || rest < lengthBytes + length) {
      // Only an append can be cut short by a crash: the snapshot was on disk before the file was named.
      if (index < fields.snapshot) refuse(`record ${index} of the snapshot is cut short`);
      return { header, snapshotRecords: fields.snapshot, records, snapshotBytes, validBytes: offset, torn: { offset, bytes: rest } };
    }
    const plaintext = cipher.open(bytes.subarray(offset + lengthBytes, offset + lengthBytes + length), aad(header, index));
    if (!plaintext) refuse(`record ${index} does not authenticate`);
    records.push(plaintext!);
    offset += lengthBytes + length;
    if (records.length === fields.snapshot) snapshotBytes = offset;
  }
  if (records.length < fields.snapshot) refuse(`the snapshot has ${fields.snapshot} records but the file ends after ${records.length}`);
  return { header, snapshotRecords: fields.snapshot, records, snapshotBytes, validBytes: offset };
}

/**
 * The file cut into its header and record frames (length + sealed bytes), without opening any:
 * for tools and tests that inspect or damage a file on purpose.
 */
export function splitFrames(bytes: Buffer): { header: Buffer; frames: Buffer[]; rest: Buffer } {
  const first = bytes.indexOf(0x0a);
  const end = first < 0 ? 0 : bytes.indexOf(0x0a, first + 1) + 1;
  const frames: Buffer[] = [];
  let offset = end;
  while (offset + lengthBytes <= bytes.length && offset + lengthBytes + bytes.readUInt32BE(offset) <= bytes.length) {
    const next = offset + lengthBytes + bytes.readUInt32BE(offset);
    frames.push(bytes.subarray(offset, next));
    offset = next;
  }
  return { header: bytes.subarray(0, end), frames, rest: bytes.subarray(offset) };
}
