// The esbuild options of the Action's bundles, shared by the build (scripts/build.mjs) and the
// bundle-size benchmark, so the benchmark measures exactly what is committed.

/** What every Node bundle of ours shares (the Action's, and the keybridge command's in build-package.mjs). */
export const nodeBundleOptions = {
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "linked",
  // Some CommonJS dependencies call require(); give the ESM bundle a real one. Taken with
  // getBuiltinModule: an ES import of node:module builds a facade of all its exports (5 ms a process on Node 24).
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  // Resolve node_modules by the path it is reached through, not its target: a worktree whose
  // node_modules links to another checkout's then builds the same bytes as that checkout.
  preserveSymlinks: true,
  logLevel: "warning",
};

/** @param {string} outdir */
export function actionBuildOptions(outdir) {
  return { ...nodeBundleOptions, entryPoints: { main: "action/main.ts", post: "action/post.ts" }, outdir, minify: true };
}
