// 2b. Bundle sizes: every file of dist/, and what the fetch path loads. The Action's sources are
// rebuilt into a scratch directory with the builds of scripts/build.mjs plus `metafile: true`
// (dist/ is never touched); the metafiles tell which files each entry imports and how many bytes
// each dependency puts into each file. Floor: bench/floor/http-floor.cjs (the same HTTP calls
// on node:http) bundled with the same options.
import { build } from "esbuild";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchContext } from "./lib/context.ts";
import { actionBuilds, buildAction } from "../scripts/action-build-options.mjs";
import type { Row } from "./lib/report.ts";
import { compareText } from "../policy/text-order.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
export const fetchPathBudgetBytes = 600 * 1024;

/** What the benchmark adds to the build's options: esbuild's account of every output. */
const withMetafile = { absWorkingDir: repoRoot, metafile: true } as const;

/** node_modules/@scope/name/… → "@scope/name"; a copy nested under another package says so. */
export function ownerOf(input: string): string {
  const parts = input.split("node_modules/");
  if (parts.length === 1) return `keybridge ${input.split("/")[0]}/`;
  const name = (text: string) => {
    const segments = text.split("/");
    return segments[0]!.startsWith("@") ? `${segments[0]}/${segments[1]}` : segments[0]!;
  };
  const own = name(parts.at(-1)!);
  return parts.length > 2 ? `${own} (copy inside ${name(parts.at(-2)!)})` : own;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * bench/floor/http-floor.cjs bundled with the fetch path's options: the floor of the bundle sizes.
 */
export async function buildFloorBundle(workDir: string): Promise<{ script: string; bytes: number }> {
  const outdir = join(workDir, "bundle-floor");
  const built = await build({ ...actionBuilds(outdir)[0], ...withMetafile, entryPoints: { floor: "bench/floor/http-floor.cjs" } });
  const bytes = Object.entries(built.metafile!.outputs).filter(([path]) => path.endsWith(".js")).reduce((sum, [, output]) => sum + output.bytes, 0);
  return { script: join(outdir, "floor.js"), bytes };
}

export interface BundleResult {
  readonly rows: Row[];
  /** Every file of dist/ with its size. */
  readonly distFiles: { readonly file: string; readonly bytes: number }[];
  /** The files main (fetch mode) and post load, with sizes. */
  readonly fetchPath: { readonly file: string; readonly bytes: number; readonly loadedBy: string }[];
  /** Bytes per dependency: in what the fetch path loads, and in all of dist/. */
  readonly dependencies: { readonly name: string; readonly fetchPathBytes: number; readonly allBytes: number }[];
  /** Whether the rebuild is byte for byte dist/ (false: dist/ is stale against the sources). */
  readonly rebuildMatchesDist: boolean;
  /** chunk file name → its largest dependency, for reading CPU profiles of the bundle. */
  readonly chunkOwners: Map<string, string>;
}

export async function benchBundle(context: BenchContext): Promise<BundleResult> {
  context.log("bundles: rebuilding the Action with a metafile");
  const outdir = join(context.workDir, "bundle");
  const metafiles = (await buildAction(outdir, withMetafile)).map((result) => result.metafile!);
  const outputs = new Map(metafiles.flatMap((metafile) => Object.entries(metafile.outputs)).map(([path, output]) => [relative(outdir, resolve(repoRoot, path)), output]));
  const outputName = (path: string) => relative(outdir, resolve(repoRoot, path));

  // What an entry loads: its static imports, transitively, plus the dynamic imports it takes in
  // this mode (fetch.ts for main; revoke.ts for post), with their own imports (none when the
  // fetch path's build inlines them).
  function closure(entry: string, dynamicEntries: ReadonlySet<string>): Set<string> {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const imported of outputs.get(name)?.imports ?? []) {
        if (imported.external) continue;
        const target = outputName(imported.path);
        if (imported.kind === "import-statement") visit(target);
        else if (imported.kind === "dynamic-import" && dynamicEntries.has(outputs.get(target)?.entryPoint ?? "")) visit(target);
      }
    };
    visit(entry);
    return seen;
  }
  const mainFetch = closure("main.js", new Set(["action/fetch.ts"]));
  const postRevoke = closure("post.js", new Set(["action/revoke.ts"]));
  const fetchFiles = new Set([...mainFetch, ...postRevoke]);
  const fetchPath = [...fetchFiles].sort().map((file) => ({
    file,
    bytes: outputs.get(file)!.bytes,
    loadedBy: mainFetch.has(file) && postRevoke.has(file) ? "main, post" : mainFetch.has(file) ? "main" : "post",
  }));
  const fetchBytes = fetchPath.reduce((sum, file) => sum + file.bytes, 0);
  const mainBytes = [...mainFetch].reduce((sum, file) => sum + outputs.get(file)!.bytes, 0);

  const dependencyBytes = new Map<string, { fetchPathBytes: number; allBytes: number }>();
  const chunkOwners = new Map<string, string>();
  for (const [file, output] of outputs) {
    const inChunk = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = ownerOf(input);
      inChunk.set(owner, (inChunk.get(owner) ?? 0) + bytesInOutput);
      const entry = dependencyBytes.get(owner) ?? { fetchPathBytes: 0, allBytes: 0 };
      entry.allBytes += bytesInOutput;
      if (fetchFiles.has(file)) entry.fetchPathBytes += bytesInOutput;
      dependencyBytes.set(owner, entry);
    }
    const largest = [...inChunk].sort((a, b) => b[1] - a[1])[0];
    if (largest) chunkOwners.set(`dist/${file}`, `${largest[0]} (in dist/${file})`);
  }
  const dependencies = [...dependencyBytes].map(([name, bytes]) => ({ name, ...bytes })).sort((a, b) => b.allBytes - a.allBytes);

  const distDir = context.distDir;
  const distFiles = listFiles(distDir).map((path) => ({ file: relative(distDir, path), bytes: statSync(path).size })).sort((a, b) => compareText(a.file, b.file));
  const rebuilt = listFiles(outdir).map((path) => relative(outdir, path)).sort();
  const rebuildMatchesDist =
    rebuilt.length === distFiles.length &&
    rebuilt.every((file) => {
      try {
        return readFileSync(join(outdir, file)).equals(readFileSync(join(distDir, file)));
      } catch {
        return false;
      }
    });
  if (!rebuildMatchesDist) context.log("bundles: note: dist/ is not what the sources build to now (sizes below are of the sources)");

  const { bytes: floorJsBytes } = await buildFloorBundle(context.workDir);
  const floor = { value: floorJsBytes, unit: "bytes" as const, what: "http-floor.cjs bundled with the same options" };
  const met = fetchBytes <= fetchPathBudgetBytes;
  const distTotal = distFiles.filter((file) => /\.m?js$/.test(file.file)).reduce((sum, file) => sum + file.bytes, 0);
  const rows: Row[] = [
    {
      id: "bundle.fetch-path",
      section: "Start-up and bundles",
      scenario: "bundle: fetch path loads (main + post)",
      measured: { value: fetchBytes, unit: "bytes" },
      floor,
      ratio: fetchBytes / floorJsBytes,
      target: { text: "≤ 600 KB", met, ...(met ? {} : { missedBy: `${((fetchBytes - fetchPathBudgetBytes) / 1024).toFixed(1)} KB over 600 KB` }) },
      details: { mainFetchModeBytes: mainBytes, files: fetchPath },
    },
    {
      id: "bundle.dist",
      section: "Start-up and bundles",
      scenario: "bundle: all of dist/ (.js, .mjs)",
      measured: { value: distTotal, unit: "bytes" },
      floor,
      ratio: distTotal / floorJsBytes,
      details: { files: distFiles },
    },
  ];
  return { rows, distFiles, fetchPath, dependencies, rebuildMatchesDist, chunkOwners };
}
