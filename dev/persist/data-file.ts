// The data file's format. Two text lines say what the file is: a magic line, then a JSON header
// (format, a random id per written file, how many records form the snapshot). Then records, each
// a frame head (a 4-byte big-endian length and the CRC-32 of those 4 bytes) and an AES-GCM sealed
// batch of changes. A record's authenticated data is the header plus its index, so a record only
// opens in its own file, at its own place: swapped, reordered, replayed or spliced records, a
// changed header and a wrong key all fail the same way. The length is outside the seal, so its
// checksum is what tells damage from a crash: a length whose checksum fails is damage (refused),
// and only a length that checks out and runs past the end of the file is a change cut short while
// it was appended. The first `snapshot` records are the state at the time the file was written (at
// least one, so that a wrong key is always noticed); the ones after it are changes appended since.
//
// Format 1 (before the checksum) is still read when it ends at a record boundary, and the journal
// rewrites it as format 2 at once; one that seems to end in a cut-short record is refused, since
// without the checksum damage and a crash look alike.
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import * as z from "zod";
import { DataDirError } from "./errors.ts";
import { sealOverhead, type RecordCipher } from "./record-cipher.ts";

const magic = "keybridge-dev-data\n";
export const dataFormat = 2;
/** No batch comes near this (requests are at most 4 MiB); a larger length means the file was changed. */
export const maxRecordBytes = 64 * 1024 * 1024;
const maxHeaderBytes = 4096;

/** Bytes in front of each sealed record: the length alone in format 1, length + CRC-32 since. */
const frameHeadBytes = (format: number): number => (format === 1 ? 4 : 8);

const headerSchema = z.object({
  format: z.union([z.literal(1), z.literal(dataFormat)]),
  file: z.string(),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  snapshot: z.number().int().min(1),
  written: z.string(),
});

export interface ParsedFile {
  /** The header bytes every record's authenticated data starts with. */
  readonly header: Buffer;
  /** The format the file was written in: anything older than dataFormat is rewritten. */
  readonly format: number;
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

function lengthCheck(lengthBytes: Buffer): number {
  return crc32(lengthBytes) >>> 0;
}

export function frameRecord(cipher: RecordCipher, header: Buffer, index: number, plaintext: Buffer): Buffer {
  const sealed = cipher.seal(plaintext, aad(header, index));
  const head = Buffer.alloc(frameHeadBytes(dataFormat));
  head.writeUInt32BE(sealed.length, 0);
  head.writeUInt32BE(lengthCheck(head.subarray(0, 4)), 4);
  return Buffer.concat([head, sealed]);
}

/** A whole new file whose snapshot is `snapshot` (one plaintext per record). */
export function buildFile(cipher: RecordCipher, fileName: string, snapshot: readonly Buffer[]): { bytes: Buffer; header: Buffer } {
  if (snapshot.length === 0) throw new RangeError("a data file's snapshot has at least one record");
  const fields = { format: dataFormat, file: fileName, id: randomBytes(16).toString("hex"), snapshot: snapshot.length, written: new Date().toISOString() };
  const header = Buffer.from(`${magic}${JSON.stringify(fields)}\n`);
  return { bytes: Buffer.concat([header, ...snapshot.map((plaintext, index) => frameRecord(cipher, header, index, plaintext))]), header };
}

type Refuse = (what: string, offset: number, detail?: string) => never;

/** The header line's fields and bytes, or a refusal. */
function readHeader(bytes: Buffer, fileName: string, refuse: Refuse): { header: Buffer; fields: z.infer<typeof headerSchema> } {
  const firstEnd = bytes.indexOf(0x0a);
  const secondEnd = firstEnd < 0 ? -1 : bytes.indexOf(0x0a, firstEnd + 1);
  if (bytes.subarray(0, firstEnd + 1).toString("latin1") !== magic || secondEnd < 0 || secondEnd > maxHeaderBytes) {
    refuse("not a keybridge dev data file (its header is missing or damaged)", 0);
  }
  let fields: z.infer<typeof headerSchema> | undefined;
  try {
    fields = headerSchema.parse(JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString("utf8")));
  } catch {
    fields = undefined;
  }
  if (!fields || fields.file !== fileName) return refuse("its header is damaged or belongs to another file", firstEnd + 1);
  return { header: bytes.subarray(0, secondEnd + 1), fields };
}

/** The sealed length of the frame at `offset`: undefined when its head is cut short; refuses a damaged one. */
function frameLength(bytes: Buffer, offset: number, format: number, index: number, refuse: Refuse): number | undefined {
  if (bytes.length - offset < frameHeadBytes(format)) return undefined;
  const length = bytes.readUInt32BE(offset);
  if (format !== 1 && bytes.readUInt32BE(offset + 4) !== lengthCheck(bytes.subarray(offset, offset + 4))) {
    refuse(`record ${index} has an impossible length`, offset, "its length checksum fails");
  }
  if (length < sealOverhead || length > maxRecordBytes) refuse(`record ${index} has an impossible length`, offset);
  return length;
}

/** Reads and authenticates every record; a problem other than a torn last append refuses the file. */
export function parseFile(bytes: Buffer, cipher: RecordCipher, path: string, fileName: string): ParsedFile {
  const fix = "restore the data directory from a backup, or start with the key it was written with; the file is left as it is";
  const refuse: Refuse = (what, offset, detail) => {
    throw new DataDirError(`${path}: ${what}: changed on disk or the key is wrong; ${fix} (${detail ? `${detail}, ` : ""}damage found at byte ${offset})`);
  };
  const { header, fields } = readHeader(bytes, fileName, refuse);
  const { format } = fields;
  const records: Buffer[] = [];
  let offset = header.length;
  let snapshotBytes = 0;
  while (offset < bytes.length) {
    const index = records.length;
    const length = frameLength(bytes, offset, format, index, refuse);
    const start = offset + frameHeadBytes(format);
    if (length === undefined || start + length > bytes.length) {
      // Only an append can be cut short by a crash: the snapshot was on disk before the file was named.
      if (index < fields.snapshot) refuse(`record ${index} of the snapshot is cut short`, offset);
      if (format === 1) throw oldFormatTornTail(path, offset);
      return { header, format, snapshotRecords: fields.snapshot, records, snapshotBytes, validBytes: offset, torn: { offset, bytes: bytes.length - offset } };
    }
    const plaintext = cipher.open(bytes.subarray(start, start + length), aad(header, index));
    if (!plaintext) return refuse(`record ${index} does not authenticate`, offset);
    records.push(plaintext);
    offset = start + length;
    if (records.length === fields.snapshot) snapshotBytes = offset;
  }
  if (records.length < fields.snapshot) refuse(`the snapshot has ${fields.snapshot} records but the file ends after ${records.length}`, offset);
  return { header, format, snapshotRecords: fields.snapshot, records, snapshotBytes, validBytes: offset };
}

function oldFormatTornTail(path: string, offset: number): DataDirError {
  return new DataDirError(
    `${path}: written in data format 1, whose last record runs past the end of the file at byte ${offset}; format 1 cannot tell a crash from damage: if keybridge dev stopped while writing, cut the file there (truncate -s ${offset} FILE) and start again (it is then rewritten in format ${dataFormat}); otherwise restore it from a backup`,
  );
}

/**
 * The file cut into its header and record frames (frame head + sealed bytes), without opening any:
 * for tools and tests that inspect or damage a file on purpose.
 */
export function splitFrames(bytes: Buffer): { header: Buffer; frames: Buffer[]; rest: Buffer } {
  const first = bytes.indexOf(0x0a);
  const end = first < 0 ? 0 : bytes.indexOf(0x0a, first + 1) + 1;
  let format = dataFormat;
  try {
    format = (JSON.parse(bytes.subarray(first + 1, end - 1).toString("utf8")) as { format?: number }).format ?? dataFormat;
  } catch {
    // Not a header that parses: split it as the current format.
  }
  const head = frameHeadBytes(format);
  const frames: Buffer[] = [];
  let offset = end;
  while (offset + head <= bytes.length && offset + head + bytes.readUInt32BE(offset) <= bytes.length) {
    const next = offset + head + bytes.readUInt32BE(offset);
    frames.push(bytes.subarray(offset, next));
    offset = next;
  }
  return { header: bytes.subarray(0, end), frames, rest: bytes.subarray(offset) };
}
