// Reads an audit log of any size a line at a time and keeps, per token, what it read of the
// leaked path: memory grows with the number of tokens that read it, never with the log. A line
// that is not JSON, or a response line without the fields Vault writes, is counted (with the
// first few line numbers, so the report can point at them) and passed over.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
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
      this.badLines += 1;
      if (this.badLineNumbers.length < keptBadLineNumbers) this.badLineNumbers.push(this.lines);
      return;
    }
    if (parsed.kind === "response" && this.matcher.matches(parsed.entry)) this.count(parsed.entry);
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

export async function scanAuditLog(file: string, matcher: ReadMatcher, sinceMs: number | undefined): Promise<AuditScan> {
  const collector = new AuditCollector(matcher, sinceMs);
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) collector.add(line);
  return collector.result();
}
