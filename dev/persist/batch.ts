// What a record holds: a batch of changes, {"put":[[id, value], …],"del":[id, …]}, where an id is
// "<map id>\0<key>" and a value is the JSON a store's codec made. A snapshot is the same shape
// with puts only, cut into records of bounded size.
import * as z from "zod";

/** id → the entry's JSON, or null when it was deleted. */
export type Changes = ReadonlyMap<string, string | null>;

const separator = "\u0000";
const snapshotChunkBytes = 256 * 1024;

const batchSchema = z.object({
  put: z.array(z.tuple([z.string(), z.unknown()])),
  del: z.array(z.string()),
});

export const recordId = (mapId: string, key: string): string => `${mapId}${separator}${key}`;

/** [map id, key]; map ids never hold the separator (they are code-chosen names and UUIDs). */
export function splitId(id: string): [string, string] | undefined {
  const at = id.indexOf(separator);
  return at < 0 ? undefined : [id.slice(0, at), id.slice(at + 1)];
}

function encode(puts: readonly string[], dels: readonly string[]): Buffer {
  return Buffer.from(`{"put":[${puts.join(",")}],"del":[${dels.join(",")}]}`, "utf8");
}

/** Values are already JSON text: spliced in as they are, not encoded twice. */
export function encodeBatch(changes: Changes): Buffer {
  const puts: string[] = [];
  const dels: string[] = [];
  for (const [id, value] of changes) {
    if (value === null) dels.push(JSON.stringify(id));
    else puts.push(`[${JSON.stringify(id)},${value}]`);
  }
  return encode(puts, dels);
}

/** The whole state as records of at most about 256 KiB each; at least one, even when empty. */
export function encodeSnapshot(entries: Iterable<readonly [string, string]>): Buffer[] {
  const chunks: Buffer[] = [];
  let puts: string[] = [];
  let size = 0;
  for (const [id, value] of entries) {
    const put = `[${JSON.stringify(id)},${value}]`;
    if (size > 0 && size + put.length > snapshotChunkBytes) {
      chunks.push(encode(puts, []));
      puts = [];
      size = 0;
    }
    puts.push(put);
    size += put.length + 1;
  }
  chunks.push(encode(puts, []));
  return chunks;
}

/** Undefined when the plaintext is not a batch (a record from another format). */
export function decodeBatch(plaintext: Buffer): Changes | undefined {
  let parsed: z.infer<typeof batchSchema>;
  try {
    parsed = batchSchema.parse(JSON.parse(plaintext.toString("utf8")));
  } catch {
    return undefined;
  }
  const changes = new Map<string, string | null>();
  for (const [id, value] of parsed.put) changes.set(id, JSON.stringify(value));
  for (const id of parsed.del) changes.set(id, null);
  return changes;
}
