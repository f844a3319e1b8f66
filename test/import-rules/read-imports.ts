// Every arrow out of one source file: its static imports and re-exports, its dynamic import()s, and
// the bin/ entry files it names by path (a file that starts `keybridge` as a process depends on it
// as surely as one that imports it, but the import graph cannot see it).
import ts from "typescript";
import { dirname, join, normalize, sep } from "node:path";

export interface Arrow {
  /** As written in the source. */
  readonly specifier: string;
  /** The repository path it points to, for relative specifiers; undefined for packages. */
  readonly target: string | undefined;
  readonly kind: "import" | "dynamic import" | "starts";
}

const dynamicImport = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
/** `new URL("../bin/keybridge.ts", import.meta.url)` */
const urlToFile = /new URL\(\s*["'`]([^"'`]+\.(?:ts|js|mjs))["'`]\s*,\s*import\.meta\.url\s*\)/g;
/** `join(root, "bin", "keybridge.ts")` */
const joinedBinFile = /\bjoin\([^()]*?["']bin["']\s*,\s*["']([\w.-]+\.(?:ts|js|mjs))["']/g;

function repoPath(file: string, specifier: string): string {
  return normalize(join(dirname(file), specifier)).split(sep).join("/");
}

export function readArrows(file: string, source: string): Arrow[] {
  const dynamic = new Set([...source.matchAll(dynamicImport)].map((match) => match[1]!));
  const imports: Arrow[] = ts.preProcessFile(source, true, true).importedFiles.map(({ fileName }) => ({
    specifier: fileName,
    target: fileName.startsWith(".") ? repoPath(file, fileName) : undefined,
    kind: dynamic.has(fileName) ? "dynamic import" : "import",
  }));
  const started: Arrow[] = [
    ...[...source.matchAll(urlToFile)].map((match) => ({ specifier: match[1]!, target: repoPath(file, match[1]!) })),
    ...[...source.matchAll(joinedBinFile)].map((match) => ({ specifier: `bin/${match[1]!}`, target: `bin/${match[1]!}` })),
  ]
    .filter((arrow) => arrow.target.startsWith("bin/"))
    .map((arrow) => ({ ...arrow, kind: "starts" as const }));
  return [...imports, ...started];
}
