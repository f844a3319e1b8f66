// Reads an audit log of any size a line at a time and keeps, per token, what it read of the
// leaked path: memory grows with the number of tokens that read it (and one line, at most
// maxAuditLineBytes), never with the log. A line
// that is not JSON, or a response line without the fields Vault writes, is counted (with the
// first few line numbers, so the report can point at them) and passed over.
import { createReadStream } from "node:fs";
import { parseAuditLine, type AuditRead } from "./audit-line.ts";
import { isDatabaseCreds, type ReadMatcher } from "./read-paths.ts";

/** One token's reads of the path, as the log tells them. */
export interface TokenReads {
  readonly accessorHmac: string;
  readonly displayName: string;
  readonly policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  reads: number;
  firstRead: string;
  lastRead: string;
  readonly paths: Set<string>;
  readonly remoteAddresses: Set<string>;
}

export interface AuditScan {
  readonly lines: number;
  readonly badLines: number;
  /** The first few bad lines' numbers (1-based). */
  readonly badLineNumbers: readonly number[];
  readonly reads: number;
  /** Reads of the path the backend refused: nothing was handed out. */
  readonly refusedReads: number;
  /** Reads before --since. */
  readonly earlierReads: number;
  readonly tokens: readonly TokenReads[];
  /** Dynamic database credential paths that were read: their leases are revoked by prefix. */
  readonly databaseCredPaths: readonly string[];
}

const keptBadLineNumbers = 5;
const keptAddresses = 10;

export class AuditCollector {
  private lines = 0;
  private badLines = 0;
  private readonly badLineNumbers: number[] = [];
  private reads = 0;
  private refusedReads = 0;
  private earlierReads = 0;
  private readonly tokens = new Map<string, TokenReads>();
  private readonly databaseCredPaths = new Set<string>();

  constructor(
    private readonly matcher: ReadMatcher,
    private readonly sinceMs: number | undefined,
  ) {}

  add(line: string): void {
    this.lines += 1;
    if (line.trim() === "") return;
    const parsed = parseAuditLine(line);
    if (parsed.kind === "bad") {
      this.countBad();
      return;
    }
    if (parsed.kind === "response" && this.matcher.matches(parsed.entry)) this.count(parsed.entry);
  }

  /** A line too long to be read (see maxAuditLineBytes): bad, and not parsed. */
  addOversized(): void {
    this.lines += 1;
    this.countBad();
  }

  result(): AuditScan {
    // By first read; ties keep the log's order (the map's, and sort is stable).
    const tokens = [...this.tokens.values()].sort((a, b) => Date.parse(a.firstRead) - Date.parse(b.firstRead));
    return {
      lines: this.lines,
      badLines: this.badLines,
      badLineNumbers: [...this.badLineNumbers],
      reads: this.reads,
      refusedReads: this.refusedReads,
      earlierReads: this.earlierReads,
      tokens,
      databaseCredPaths: [...this.databaseCredPaths].sort(),
    };
  }

  private countBad(): void {
    this.badLines += 1;
    if (this.badLineNumbers.length < keptBadLineNumbers) this.badLineNumbers.push(this.lines);
  }

  private count(entry: AuditRead): void {
    if (this.sinceMs !== undefined && entry.timeMs < this.sinceMs) {
      this.earlierReads += 1;
      return;
    }
    if (entry.refused) {
      this.refusedReads += 1;
      return;
    }
    this.reads += 1;
    if (isDatabaseCreds(entry)) this.databaseCredPaths.add(entry.path);
    const known = this.tokens.get(entry.accessorHmac);
    if (!known) {
      this.tokens.set(entry.accessorHmac, {
        accessorHmac: entry.accessorHmac,
        displayName: entry.displayName,
        policies: entry.policies,
        metadata: entry.metadata,
        reads: 1,
        firstRead: entry.time,
        lastRead: entry.time,
        paths: new Set([entry.path]),
        remoteAddresses: new Set(entry.remoteAddress === "" ? [] : [entry.remoteAddress]),
      });
      return;
    }
    known.reads += 1;
    if (entry.timeMs < Date.parse(known.firstRead)) known.firstRead = entry.time;
    if (entry.timeMs > Date.parse(known.lastRead)) known.lastRead = entry.time;
    known.paths.add(entry.path);
    if (entry.remoteAddress !== "" && known.remoteAddresses.size < keptAddresses) known.remoteAddresses.add(entry.remoteAddress);
  }
}

/** Past this a line is not an audit entry the drill could use: counted bad, never held whole. */
export const maxAuditLineBytes = 16 * 1024 * 1024;

export async function scanAuditLog(file: string, matcher: ReadMatcher, sinceMs: number | undefined, maxLineBytes = maxAuditLineBytes): Promise<AuditScan> {
  const collector = new AuditCollector(matcher, sinceMs);
  for await (const line of boundedLines(createReadStream(file), maxLineBytes)) {
    if (line === undefined) collector.addOversized();
    else collector.add(line);
  }
  return collector.result();
}

/**
 * The stream's lines (without "\n" or "\r\n"), each at most `maxBytes`; a longer one is skipped
 * to its end and yields undefined. readline would hold a line of any length in memory.
 */
export async function* boundedLines(input: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<string | undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  const finish = (tail: Buffer): string | undefined => {
    const line = oversized ? undefined : Buffer.concat([...pending, tail]).toString("utf8").replace(/\r$/, "");
    pending = [];
    pendingBytes = 0;
    oversized = false;
    return line;
  };
  for await (const chunk of input) {
    let start = 0;
    for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
      if (pendingBytes + end - start > maxBytes) oversized = true;
      yield finish(chunk.subarray(start, end));
      start = end + 1;
    }
    const rest = chunk.subarray(start);
    if (oversized || pendingBytes + rest.length > maxBytes) {
      oversized = true;
      pending = [];
      pendingBytes = 0;
    } else if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0 || oversized) yield finish(Buffer.alloc(0));
}
