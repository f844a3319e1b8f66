// The adversarial values the leaks suite exports: hand-picked kinds (PEM, JSON, runner and shell
// syntax, line ends, unicode, very long values …) and values generated from a fixed seed. Each value
// has a unique name; `about` describes it in words for the report, which never shows a value.
import { selfSignedCertificate, pemKeys } from "./pem.ts";
import { Rng, range } from "./prng.ts";

export interface CorpusValue {
  /** 1-based, stable for a given seed and options. */
  readonly id: number;
  /** The exported name: environment variable, step output, file key. */
  readonly name: string;
  /** The key inside its KV secret. */
  readonly key: string;
  /** A hand-picked kind ("pem-key", "line-ends" …) or "generated: <family>". */
  readonly kind: string;
  readonly about: string;
  readonly value: string;
  readonly handPicked: boolean;
  /** False when the name is not a portable variable name, so the Action must refuse it everywhere. */
  readonly shellName: boolean;
  /** One of the 64 KiB values. */
  readonly long: boolean;
  /** Position among the values of its kind (the quick form takes the first of each kind). */
  readonly variant: number;
}

interface Draft {
  readonly kind: string;
  readonly about: string;
  readonly value: string;
  readonly name?: string;
  readonly long?: boolean;
}

export const seed = 0x6b62_6c6b;
export const longBytes = 64 * 1024;

const alnum = [...range(0x30, 0x39), ...range(0x41, 0x5a), ...range(0x61, 0x7a)];
const printable = [...range(0x21, 0x7e), " "];
const base64Chars = [...alnum, "+", "/"];

/** Lines of one or two characters that nothing else in a job's output contains. */
const oneChar = ["ψ", "Ω", "ж", "ʬ", "中", "x", "}"];
const twoChars = ["§¶", "☃☃", "ǂǂ", "ⱷⱷ", "é!", "Ж~"];

const shellName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const encodings = {
  base64: (text: string) => Buffer.from(text, "utf8").toString("base64"),
  base64url: (text: string) => Buffer.from(text, "utf8").toString("base64url"),
  url: (text: string) => encodeURIComponent(text),
  json: (text: string) => JSON.stringify(text).slice(1, -1),
};

function token(rng: Rng, length: number): string {
  return rng.text(alnum, length);
}

function uuidLike(rng: Rng): string {
  const hex = rng.text([...range(0x30, 0x39), ...range(0x61, 0x66)], 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An ASCII text of exactly `bytes` bytes, in lines of `width` characters when width is given. */
function longAscii(rng: Rng, bytes: number, alphabet: readonly string[], width?: number): string {
  if (!width) return rng.text(alphabet, bytes);
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const line = n % 24 === 0 ? "-----BEGIN CERTIFICATE-----" : n % 24 === 23 ? "-----END CERTIFICATE-----" : rng.text(alphabet, width);
    lines.push(line);
    size += line.length + 1;
  }
  const text = lines.join("\n").slice(0, bytes);
  // Never end on a one-character line by accident: that would be a known limit, not this value's point.
  return /\n.$/s.test(text) ? `${text.slice(0, -2)}AA` : text;
}

function longUnicode(rng: Rng, bytes: number): string {
  const pool = [...range(0x4e00, 0x4fff), ...range(0x05d0, 0x05ea), "🔑", "😀", "é", "ß", "Ω"];
  let text = "";
  while (Buffer.byteLength(text, "utf8") < bytes - 4) text += rng.pick(pool);
  return text + "A".repeat(bytes - Buffer.byteLength(text, "utf8"));
}

function handPicked(rng: Rng, markerPath: string): Draft[] {
  const keys = pemKeys();
  const cert = selfSignedCertificate("leaks.keybridge.test", "ed25519", Buffer.from(token(rng, 12)));
  const ecCert = selfSignedCertificate("ecdsa.leaks.keybridge.test", "p256", Buffer.from(token(rng, 12)));
  const caCert = selfSignedCertificate("Leaks Suite Internal CA", "ed25519", Buffer.from(token(rng, 12)));
  const unicodeCjk = `密码是${token(rng, 6)}的秘密钥匙`;
  const quotes = `she said "it's ${token(rng, 8)}" and left`;
  const crlf = `first-${token(rng, 8)}\r\nsecond-${token(rng, 8)}\r\nthird-${token(rng, 8)}`;
  const shortForEncoding = "ψ§";
  const substringBase = `kbsub-${token(rng, 16)}`;

  const drafts: Draft[] = [
    // PEM keys
    { kind: "pem-key", about: "RSA 2048 private key, PKCS#8 PEM", value: keys.rsaPkcs8 },
    { kind: "pem-key", about: "RSA private key, PKCS#1 PEM (BEGIN RSA PRIVATE KEY)", value: keys.rsaPkcs1 },
    { kind: "pem-key", about: "RSA private key, PKCS#8 PEM with CRLF line ends", value: keys.rsaPkcs8Crlf },
    { kind: "pem-key", about: "encrypted PKCS#8 private key (aes-256-cbc)", value: keys.rsaEncrypted },
    { kind: "pem-key", about: "RSA public key, SPKI PEM", value: keys.rsaPublic },
    { kind: "pem-key", about: "EC P-256 private key, SEC1 PEM", value: keys.ecSec1 },
    { kind: "pem-key", about: "Ed25519 private key, PKCS#8 PEM with a trailing newline", value: keys.ed25519 },
    // Certificates
    { kind: "certificate", about: "self-signed Ed25519 certificate, PEM", value: cert },
    { kind: "certificate", about: "self-signed ECDSA P-256 certificate, PEM", value: ecCert },
    { kind: "certificate", about: "chain of two certificates", value: `${ecCert}\n${caCert}\n` },
    { kind: "certificate", about: "private key and certificate in one PEM bundle", value: `${keys.ecSec1}\n${cert}` },
    // Pretty-printed JSON (nested members last, so that no line is a bare "}," that every JSON log holds)
    {
      kind: "pretty-json",
      about: "service-account JSON, 2-space indent, with an escaped PEM key inside",
      value: JSON.stringify({
        type: "service_account",
        project_id: `leaks-${token(rng, 8)}`,
        private_key_id: token(rng, 40).toLowerCase(),
        private_key: `${keys.rsaPkcs8}\n`,
        client_email: `ci-${token(rng, 6).toLowerCase()}@leaks.iam.example`,
      }, null, 2),
    },
    {
      kind: "pretty-json",
      about: "nested JSON, 4-space indent, an array last",
      value: JSON.stringify({ database: `db-${token(rng, 10)}`, credentials: { user: `svc-${token(rng, 8)}`, hosts: [`h1-${token(rng, 8)}`, `h2-${token(rng, 8)}`] } }, null, 4),
    },
    {
      kind: "pretty-json",
      about: "JSON with tab indent and unicode",
      value: JSON.stringify({ "clé": `välue-${token(rng, 8)}`, "名前": `秘密-${token(rng, 8)}` }, null, "\t"),
    },
    // Percent signs and what the runner unescapes
    { kind: "percent", about: "%25 (an escaped percent sign) inside a value", value: `pa%25ss-${token(rng, 8)}` },
    { kind: "percent", about: "%0A and %0D as literal text", value: `line%0Abreak%0D-${token(rng, 8)}` },
    { kind: "percent", about: "a single % (one character)", value: "%" },
    { kind: "percent", about: "100% and %% together", value: `100%-%%-${token(rng, 6)}` },
    { kind: "percent", about: "%2525 (escaped twice)", value: `%2525${token(rng, 8)}%2525` },
    { kind: "percent", about: "URL-encoded text (%E2%9C%93)", value: `ok%E2%9C%93-${token(rng, 8)}` },
    { kind: "percent", about: "%0A between two real lines", value: `top-${token(rng, 6)}%0A\nbottom-${token(rng, 6)}%25` },
    // Line ends
    { kind: "line-ends", about: "three lines with CRLF line ends", value: crlf },
    { kind: "line-ends", about: "leading and trailing newline", value: `\nwrapped-${token(rng, 10)}\n` },
    { kind: "line-ends", about: "blank lines between lines", value: `para-${token(rng, 8)}\n\n\npara-${token(rng, 8)}` },
    // A carriage return alone (the runner ends a line there too)
    { kind: "lone-cr", about: "a lone CR between two lines", value: `before-${token(rng, 8)}\rafter-${token(rng, 8)}` },
    { kind: "lone-cr", about: "a CR at the end", value: `ends-in-cr-${token(rng, 8)}\r` },
    { kind: "lone-cr", about: "LF CR (reversed) between lines", value: `one-${token(rng, 8)}\n\rtwo-${token(rng, 8)}` },
    { kind: "lone-cr", about: "progress-bar style: three segments split by lone CRs", value: `10% ${token(rng, 6)}\r55% ${token(rng, 6)}\r100% ${token(rng, 6)}` },
    // Workflow command syntax
    { kind: "workflow-commands", about: "::add-mask:: inside a value", value: `::add-mask::${token(rng, 12)}` },
    { kind: "workflow-commands", about: "::error:: on its own line", value: `harmless-${token(rng, 6)}\n::error::injected ${token(rng, 6)}` },
    { kind: "workflow-commands", about: "::warning with properties", value: `::warning file=app.js,line=1::${token(rng, 10)}` },
    { kind: "workflow-commands", about: "::set-output and ::save-state", value: `::set-output name=x::${token(rng, 6)}\n::save-state name=y::${token(rng, 6)}` },
    { kind: "workflow-commands", about: "::stop-commands:: with a token", value: `::stop-commands::${token(rng, 16)}` },
    { kind: "workflow-commands", about: "host::port (a :: in the middle)", value: `db-${token(rng, 6)}::5432` },
    { kind: "workflow-commands", about: "##[error] and ##[group] log syntax", value: `##[error]${token(rng, 8)}\n##[group]${token(rng, 8)}` },
    // Expression and shell syntax
    { kind: "expressions", about: "${{ secrets.X }}", value: `\${{ secrets.LEAKS_${token(rng, 6)} }}` },
    { kind: "expressions", about: "$(id) command substitution", value: `pre-$(id)-${token(rng, 8)}` },
    { kind: "expressions", about: "backticks", value: `\`id\`-${token(rng, 8)}\`whoami\`` },
    { kind: "expressions", about: "$HOME, ${PATH} and $((1+1))", value: `$HOME:\${PATH}:$((1+1))-${token(rng, 6)}` },
    { kind: "expressions", about: "$(touch …) and backticks that must not run when the dotenv file is sourced", value: `$(touch ${markerPath}) \`touch ${markerPath}\`` },
    { kind: "expressions", about: "!history, {{ template }} and ${VAR:-default}", value: `!event {{ .Values.${token(rng, 6)} }} \${X:-dflt}` },
    // Quotes
    { kind: "quotes", about: "single quote (it's)", value: `it's-${token(rng, 10)}` },
    { kind: "quotes", about: "double quotes", value: quotes },
    { kind: "quotes", about: "the shell's quote escape '\\''", value: `'\\''${token(rng, 8)}'\\''` },
    { kind: "quotes", about: "mixed quotes \"'\"'", value: `"'"'${token(rng, 8)}'"'"` },
    { kind: "quotes", about: "quotes only (''\"\")", value: `''""''` },
    // Backslashes
    { kind: "backslashes", about: "Windows path", value: `C:\\Users\\ci\\${token(rng, 8)}\\key.pem` },
    { kind: "backslashes", about: "a literal \\n (backslash n)", value: `no\\nnewline-${token(rng, 8)}` },
    { kind: "backslashes", about: "a trailing backslash", value: `ends-${token(rng, 8)}\\` },
    { kind: "backslashes", about: "a backslash before a quote", value: `\\'${token(rng, 8)}\\"` },
    { kind: "backslashes", about: "four backslashes", value: `\\\\\\\\${token(rng, 8)}` },
    // Tabs and spaces
    { kind: "tabs", about: "a leading tab", value: `\t${token(rng, 10)}` },
    { kind: "tabs", about: "tabs between fields", value: `${token(rng, 6)}\t${token(rng, 6)}\t${token(rng, 6)}` },
    { kind: "tabs", about: "a trailing tab", value: `${token(rng, 10)}\t` },
    { kind: "spaces", about: "a leading space", value: ` ${token(rng, 10)}` },
    { kind: "spaces", about: "trailing spaces", value: `${token(rng, 10)}   ` },
    { kind: "spaces", about: "spaces on both sides of every line", value: `  ${token(rng, 8)}  \n  ${token(rng, 8)}  ` },
    { kind: "spaces", about: "double spaces inside", value: `${token(rng, 6)}  ${token(rng, 6)}` },
    // Unicode
    { kind: "unicode", about: "combining marks (e + U+0301 + U+0302)", value: `e\u0301\u0302-${token(rng, 6)}-a\u0308\u0323` },
    { kind: "unicode", about: "Hebrew (right to left)", value: `שלום-${token(rng, 6)}-עולם` },
    { kind: "unicode", about: "Arabic (right to left) with digits", value: `كلمة السر ١٢٣ ${token(rng, 6)}` },
    { kind: "unicode", about: "right-to-left override U+202E", value: `\u202E${token(rng, 8)}\u202C.exe` },
    { kind: "unicode", about: "CJK", value: unicodeCjk },
    { kind: "unicode", about: "emoji and a ZWJ family sequence", value: `🔑🗝️-${token(rng, 6)}-👨‍👩‍👧` },
    { kind: "unicode", about: "flag emoji", value: `🇩🇪🇯🇵-${token(rng, 6)}` },
    { kind: "unicode", about: "zero-width space and joiner", value: `zero\u200Bwidth\u200D${token(rng, 6)}` },
    { kind: "unicode", about: "byte order mark first", value: `\uFEFF${token(rng, 10)}` },
    { kind: "unicode", about: "U+2028 line separator inside", value: `sep\u2028${token(rng, 8)}\u2029end` },
    { kind: "unicode", about: "no-break spaces around", value: `\u00A0${token(rng, 8)}\u00A0` },
    { kind: "unicode", about: "café in NFC", value: `caf\u00e9 au lait ${substringBase.slice(6, 12)}` },
    { kind: "unicode", about: "café in NFD (same text, other code points)", value: `cafe\u0301 au lait ${substringBase.slice(6, 12)}` },
    // Short lines
    { kind: "short-lines", about: "one- and two-character lines", value: `${oneChar[0]}\n${twoChars[0]}\n${oneChar[1]}\nlong-line-${token(rng, 8)}` },
    { kind: "short-lines", about: "two-character lines only", value: twoChars.slice(1, 4).join("\n") },
    { kind: "short-lines", about: "one-character ASCII lines", value: `x\ny\nz\n${token(rng, 10)}` },
    { kind: "short-lines", about: "one emoji per line (two UTF-16 units each)", value: "🔐\n🧪\n🛡️" },
    { kind: "short-lines", about: "pretty JSON's one-character brace lines", value: `{\n  "only": "${token(rng, 10)}"\n}` },
    // Very long
    { kind: "very-long", about: "64 KiB on one line (ASCII)", value: longAscii(rng, longBytes, printable), long: true },
    { kind: "very-long", about: "64 KiB PEM-like bundle, lines of 64 characters", value: longAscii(rng, longBytes, base64Chars, 64), long: true },
    { kind: "very-long", about: "64 KiB of multi-byte unicode on one line", value: longUnicode(rng, longBytes), long: true },
    // Substrings of one another
    { kind: "substrings", about: "a value that others contain", value: substringBase },
    { kind: "substrings", about: "a value containing another value", value: `pre-${substringBase}-post` },
    { kind: "substrings", about: "one line of the RSA key, alone", value: keys.rsaPkcs8.split("\n")[3]! },
    { kind: "substrings", about: "the start of another value", value: substringBase.slice(0, 12) },
    // Encoded forms of other values
    { kind: "encoded-forms", about: "base64 of the RSA PKCS#8 key", value: encodings.base64(keys.rsaPkcs8) },
    { kind: "encoded-forms", about: "base64url of the CJK value", value: encodings.base64url(unicodeCjk) },
    { kind: "encoded-forms", about: "URL-encoded form of the double-quotes value", value: encodings.url(quotes) },
    { kind: "encoded-forms", about: "JSON-escaped form of the CRLF value", value: encodings.json(crlf) },
    { kind: "encoded-forms", about: "base64 of a two-character value", value: encodings.base64(shortForEncoding) },
    { kind: "encoded-forms", about: "the two-character value itself", value: shortForEncoding },
    // The runner's heredoc delimiter
    { kind: "heredoc-delimiter", about: "ghadelimiter_ prefix alone", value: "ghadelimiter_" },
    { kind: "heredoc-delimiter", about: "a ghadelimiter_<uuid> line inside", value: `head-${token(rng, 6)}\nghadelimiter_${uuidLike(rng)}\ntail-${token(rng, 6)}` },
    { kind: "heredoc-delimiter", about: "EOF and <<EOF lines", value: `<<EOF\n${token(rng, 8)}\nEOF` },
    { kind: "heredoc-delimiter", about: "NAME<<ghadelimiter_ as a line", value: `LEAK<<ghadelimiter_${uuidLike(rng)}\r\n${token(rng, 8)}` },
    // Empty-ish
    { kind: "empty-ish", about: "a single space", value: " " },
    { kind: "empty-ish", about: "the empty string", value: "" },
    { kind: "empty-ish", about: "a single tab", value: "\t" },
    { kind: "empty-ish", about: "a single newline", value: "\n" },
    { kind: "empty-ish", about: "two spaces", value: "  " },
    // Names that are not portable variable names: refused everywhere (env, outputs, dotenv, JSON)
    { kind: "odd-names", about: "exported as db.password (a dot)", value: `dotted-${token(rng, 12)}`, name: "db.password" },
    { kind: "odd-names", about: "exported as 9LIVES (a leading digit)", value: `digit-${token(rng, 12)}`, name: "9LIVES" },
    { kind: "odd-names", about: "exported as api-key (a dash)", value: `dash-${token(rng, 12)}`, name: "api-key" },
  ];
  return drafts;
}

interface Special {
  readonly text: string;
  readonly label: string;
}

const specials: readonly Special[] = [
  { text: "%", label: "%" }, { text: "%25", label: "%25" }, { text: "%0A", label: "%0A" }, { text: "%0D", label: "%0D" },
  { text: "\r\n", label: "CRLF" }, { text: "\n", label: "LF" }, { text: "::", label: "::" }, { text: "::add-mask::", label: "::add-mask::" },
  { text: "::error::", label: "::error::" }, { text: "${{ secrets.X }}", label: "${{ }}" }, { text: "$(id)", label: "$(id)" },
  { text: "`id`", label: "backticks" }, { text: "'", label: "single quote" }, { text: '"', label: "double quote" },
  { text: "\\", label: "backslash" }, { text: "\t", label: "tab" }, { text: "$HOME", label: "$HOME" }, { text: "<<EOF", label: "<<EOF" },
  { text: "ghadelimiter_", label: "ghadelimiter_" }, { text: " ", label: "space" }, { text: "=", label: "=" }, { text: "#", label: "#" },
];

const unicodePool = [
  ...range(0x4e00, 0x4e80), ...range(0x05d0, 0x05ea), ...range(0x0627, 0x064a), ...range(0x0391, 0x03a9), ...range(0x0410, 0x044f),
  "🔑", "🗝️", "👨‍👩‍👧", "🏳️‍🌈", "🇯🇵", "😀", "🤖", "✅", "\u200B", "\u200D", "\u00A0", "\u202E", "\u202C", "\u2028",
];
const combining = range(0x0300, 0x036f);

type Family = (rng: Rng, earlier: readonly Draft[]) => Draft | undefined;

const families: ReadonlyArray<readonly [string, Family]> = [
  ["printable ASCII", (rng) => {
    const value = rng.text(printable, rng.int(12, 120));
    return { kind: "generated: printable ASCII", about: `random printable ASCII, ${value.length} characters`, value };
  }],
  ["ASCII with specials", (rng) => {
    const used: string[] = [];
    let value = token(rng, rng.int(6, 14));
    for (let n = rng.int(1, 4); n > 0; n--) {
      const special = rng.pick(specials);
      used.push(special.label);
      value += special.text + rng.text(printable.filter((c) => c !== " "), rng.int(6, 14));
    }
    return { kind: "generated: ASCII with specials", about: `random ASCII with ${[...new Set(used)].join(", ")}`, value };
  }],
  ["unicode", (rng) => {
    let value = rng.pick(range(0x4e00, 0x4e80));
    for (let n = rng.int(8, 40); n > 0; n--) {
      value += rng.pick(unicodePool);
      if (rng.chance(0.15)) value += rng.pick(combining);
    }
    return { kind: "generated: unicode", about: `random unicode (CJK, RTL, emoji, combining marks), ${[...value].length} code points`, value };
  }],
  ["multi-line", (rng) => {
    const style = rng.next();
    const eol = style < 0.55 ? "LF" : style < 0.9 ? "CRLF" : "mixed";
    const lines = Array.from({ length: rng.int(2, 10) }, () => rng.text(printable, rng.int(6, 70)));
    let value = lines[0]!;
    for (const line of lines.slice(1)) value += (eol === "LF" ? "\n" : eol === "CRLF" ? "\r\n" : rng.pick(["\n", "\r\n", "\r"])) + line;
    if (rng.chance(0.3)) value += eol === "CRLF" ? "\r\n" : "\n";
    return { kind: "generated: multi-line", about: `${lines.length} random lines, ${eol === "mixed" ? "mixed LF, CRLF and lone CR" : eol} line ends`, value };
  }],
  ["padded", (rng) => {
    const pad = () => rng.text([" ", "\t", "\u00A0"], rng.int(1, 4));
    const value = `${pad()}${token(rng, rng.int(8, 30))}${rng.chance(0.5) ? pad() + token(rng, 8) : ""}${pad()}`;
    return { kind: "generated: padded", about: "random text with leading, trailing (and inner) spaces, tabs, no-break spaces", value };
  }],
  ["pretty JSON", (rng) => {
    const leaf = () => rng.text(printable, rng.int(6, 30));
    const object = (depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (let n = rng.int(1, 4); n > 0; n--) out[`k_${token(rng, 6)}`] = leaf();
      if (depth < 2 && rng.chance(0.7)) out[`k_${token(rng, 6)}`] = rng.chance(0.5) ? object(depth + 1) : [leaf(), leaf()];
      return out;
    };
    const indent = rng.pick([2, 4, "\t"] as const);
    return { kind: "generated: pretty JSON", about: `random JSON object, ${indent === "\t" ? "tab" : `${indent}-space`} indent`, value: JSON.stringify(object(0), null, indent) };
  }],
  ["derived", (rng, earlier) => {
    const sources = earlier.filter((draft) => draft.kind.startsWith("generated") && draft.value.trim().length >= 16);
    if (sources.length === 0) return undefined;
    const source = rng.pick(sources);
    const how = rng.pick(["substring", "superstring", "base64", "base64url", "url", "json"] as const);
    if (how === "substring") {
      const line = source.value.split(/\r\n|\r|\n/).find((candidate) => candidate.trim().length >= 16);
      if (!line) return undefined;
      const start = rng.int(0, line.length - 12);
      const value = line.slice(start, start + rng.int(10, Math.min(40, line.length - start)));
      if (value.trim().length < 10) return undefined;
      return { kind: "generated: derived", about: "a substring of another generated value", value };
    }
    if (how === "superstring") return { kind: "generated: derived", about: "another generated value with text around it", value: `${token(rng, 4)}${source.value}${token(rng, 4)}` };
    return { kind: "generated: derived", about: `the ${how === "json" ? "JSON-escaped" : how === "url" ? "URL-encoded" : how} form of another generated value`, value: encodings[how](source.value) };
  }],
  ["short lines", (rng) => {
    const lines = Array.from({ length: rng.int(3, 8) }, () => (rng.chance(0.5) ? rng.pick([...oneChar.slice(0, 5), ...twoChars.slice(0, 4)]) : token(rng, rng.int(6, 20))));
    if (lines.every((line) => line.length < 6)) lines.push(token(rng, 8));
    return { kind: "generated: short lines", about: `${lines.length} lines, some of one or two characters`, value: lines.join("\n") };
  }],
];

export interface CorpusOptions {
  /** A path that must not exist: a value tries to create it when the dotenv file is sourced. */
  readonly markerPath: string;
  /** How many generated values to add. */
  readonly generated: number;
}

export function buildCorpus(options: CorpusOptions): CorpusValue[] {
  const rng = new Rng(seed);
  const drafts = handPicked(rng, options.markerPath);
  const seen = new Set(drafts.map((draft) => draft.value));
  if (seen.size !== drafts.length) throw new Error("the hand-picked corpus holds a value twice");
  const generated: Draft[] = [];
  for (let attempt = 0; generated.length < options.generated && attempt < options.generated * 20; attempt++) {
    const [, family] = families[generated.length % families.length]!;
    const draft = family(rng, generated);
    if (!draft || seen.has(draft.value)) continue;
    seen.add(draft.value);
    generated.push(draft);
  }
  const variants = new Map<string, number>();
  return [...drafts, ...generated].map((draft, index) => {
    const id = index + 1;
    const variant = variants.get(draft.kind) ?? 0;
    variants.set(draft.kind, variant + 1);
    const tag = draft.kind.replace(/^generated: /, "g ").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
    const key = `LK${String(id).padStart(3, "0")}_${tag}`;
    const name = draft.name ?? key;
    return {
      id,
      name,
      key,
      kind: draft.kind,
      about: draft.about,
      value: draft.value,
      handPicked: !draft.kind.startsWith("generated"),
      shellName: shellName.test(name),
      long: draft.long === true,
      variant,
    };
  });
}

/**
 * The quick form: the first value of every hand-picked kind (one 64 KiB value among them), then
 * generated values up to `size`.
 */
export function quickSubset(corpus: readonly CorpusValue[], size: number): CorpusValue[] {
  const firsts = corpus.filter((value) => value.handPicked && value.variant === 0);
  const generated = corpus.filter((value) => !value.handPicked).slice(0, Math.max(0, size - firsts.length));
  return [...firsts, ...generated];
}

export { encodings };
