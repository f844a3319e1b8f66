// The esbuild options of the Action's bundles, shared by the build (scripts/build.mjs) and the
// bundle-size benchmark, so the benchmark measures exactly what is committed.

/** @param {string} outdir */
export function actionBuildOptions(outdir) {
  return {
    entryPoints: { main: "action/main.ts", post: "action/post.ts" },
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "linked",
    // Some CommonJS dependencies call require(); give the ESM bundle a real one.
    banner: { js: "import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);" },
    logLevel: "warning",
  };
}
