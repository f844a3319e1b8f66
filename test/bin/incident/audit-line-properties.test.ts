// Properties of the audit-log reader over generated lines: garbled, truncated or foreign lines
// never crash it (each is counted as bad or passed over), and on valid response lines it agrees
// with a plain reference reading of the same fields.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseAuditLine } from "../../../bin/incident/audit-line.ts";
import { AuditCollector, boundedLines } from "../../../bin/incident/audit-scan.ts";
import { readMatcher } from "../../../bin/incident/read-paths.ts";

const hmac = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `hmac-sha256:${hex}`);
const text = fc.string({ unit: "grapheme", maxLength: 16 });
const paths = ["secret/data/app", "secret/metadata/app", "secret/data/other", "database/creds/ro", "auth/jwt/login", "/secret/data/app"];

const validLine = fc.record({
  time: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((date) => date.toISOString()),
  type: fc.constant("response" as const),
  auth: fc.option(
    fc.record({ accessor: hmac, display_name: text, policies: fc.array(text, { maxLength: 3 }), metadata: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), text, { maxKeys: 3 }) }),
    { nil: undefined },
  ),
  request: fc.record({
    id: fc.uuid(),
    operation: fc.constantFrom("read", "list", "update", "create", "delete"),
    path: fc.constantFrom(...paths),
    mount_type: fc.constantFrom("kv", "database", "token", ""),
    client_token_accessor: hmac,
    remote_address: fc.constantFrom("127.0.0.1", "10.0.0.7", "::1"),
  }),
  error: fc.option(fc.constantFrom("permission denied", ""), { nil: undefined }),
});

type ValidLine = typeof validLine extends fc.Arbitrary<infer T> ? T : never;

/** What a reader should take from a valid line, field by field. */
function reference(line: ValidLine) {
  return {
    time: line.time,
    timeMs: new Date(line.time).getTime(),
    operation: line.request.operation,
    path: line.request.path.replace(/^\/+/, ""),
    mountType: line.request.mount_type,
    accessorHmac: line.auth?.accessor ?? line.request.client_token_accessor,
    displayName: line.auth?.display_name ?? "",
    policies: line.auth?.policies ?? [],
    metadata: { ...line.auth?.metadata },
    remoteAddress: line.request.remote_address,
    requestId: line.request.id,
    refused: line.error !== undefined && line.error !== "",
  };
}

const garbled = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  validLine.chain((line) => fc.nat({ max: JSON.stringify(line).length }).map((cut) => JSON.stringify(line).slice(0, cut))),
  validLine.map((line) => JSON.stringify({ ...line, time: "yesterday" })),
  validLine.map((line) => JSON.stringify({ ...line, request: { ...line.request, path: 42 } })),
  validLine.map((line) => JSON.stringify({ ...line, auth: { ...line.auth, metadata: { role: ["a"] } } })),
  validLine.map((line) => JSON.stringify({ ...line, type: "request" })),
);

/** The reference: lines of the text, a final newline ending the last one, CR LF as LF; a line over maxBytes (its CR counted) is undefined. */
function referenceLines(text: string, maxBytes: number): (string | undefined)[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => (Buffer.byteLength(line) > maxBytes ? undefined : line.replace(/\r$/, "")));
}

async function collect(chunks: Buffer[], maxBytes: number): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for await (const line of boundedLines((async function* () { yield* chunks; })(), maxBytes)) out.push(line);
  return out;
}

describe("audit line reader properties", () => {
  it("splits a stream cut anywhere into the reference's lines, longer ones skipped, characters kept whole", async () => {
    const piece = fc.oneof(fc.constantFrom("\n", "\r\n", "é", "€", "😀", "{}"), fc.string({ unit: "grapheme", maxLength: 12 }));
    await fc.assert(fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }), async (pieces, cuts, maxBytes) => {
      const bytes = Buffer.from(pieces.join(""), "utf8");
      const chunks: Buffer[] = [];
      for (let start = 0, index = 0; start < bytes.length; index++) {
        const size = cuts[index % cuts.length]!;
        chunks.push(bytes.subarray(start, start + size));
        start += size;
      }
      assert.deepEqual(await collect(chunks, maxBytes), referenceLines(bytes.toString("utf8"), maxBytes));
    }), { numRuns: 1000 });
  });

  it("agrees with the reference on every valid response line", () => {
    fc.assert(fc.property(validLine, (line) => {
      const parsed = parseAuditLine(JSON.stringify(line));
      assert.equal(parsed.kind, "response");
      assert.deepEqual(parsed.kind === "response" ? parsed.entry : undefined, reference(line));
    }), { numRuns: 1000 });
  });

  it("never throws on garbled, truncated or foreign lines", () => {
    fc.assert(fc.property(garbled, (line) => {
      assert.ok(["response", "other", "bad"].includes(parseAuditLine(line).kind));
    }), { numRuns: 3000 });
  });

  it("counts every line, each bad one as bad, and finds exactly the reference's reads among them", () => {
    const mixed = fc.array(fc.oneof(validLine.map((line) => ({ line, text: JSON.stringify(line) })), garbled.map((text) => ({ line: undefined, text }))), { maxLength: 40 });
    fc.assert(fc.property(mixed, (entries) => {
      const collector = new AuditCollector(readMatcher("secret/app"), undefined);
      for (const { text } of entries) collector.add(text);
      const scan = collector.result();
      const expected = entries
        .map(({ line }) => line && reference(line))
        .filter((entry) => entry !== undefined && entry.operation === "read" && entry.path === "secret/data/app" && !entry.refused);
      // A garbled line may happen to be a valid read; count those through the parser itself.
      const garbledReads = entries.filter(({ line, text }) => {
        if (line) return false;
        const parsed = parseAuditLine(text);
        return parsed.kind === "response" && parsed.entry.operation === "read" && parsed.entry.path === "secret/data/app" && !parsed.entry.refused;
      }).length;
      assert.equal(scan.lines, entries.length);
      assert.equal(scan.reads, expected.length + garbledReads);
      assert.equal(scan.tokens.reduce((sum, token) => sum + token.reads, 0), scan.reads);
      assert.ok(scan.badLines <= entries.filter(({ line }) => !line).length);
    }), { numRuns: 500 });
  });
});
