// The Action's bundles: esbuild's options and the one function that builds them into a directory,
// shared by the build (scripts/build.mjs) and the bundle-size benchmark, so the benchmark measures
// exactly what is committed.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * @cdktn/hcl2json (the Terraform reader's HCL parser) reads its WebAssembly at run time from
 * `join(__dirname, "..", "main.wasm.gz")`, and an ESM bundle has no `__dirname`. That one module
 * gets one that points at the copy copyBundleAssets puts at `<outdir>/hcl2json/main.wasm.gz`,
 * found from the chunk's directory by the banner's `require` (node_modules stays as installed; a
 * missing copy fails with its path). No `import.meta` here: it would make the module ESM.
 * @type {import("esbuild").Plugin}
 */
const hcl2jsonDirname = {
  name: "hcl2json-dirname",
  setup(build) {
    build.onLoad({ filter: /[\\/]@cdktn[\\/]hcl2json[\\/]build[\\/]bridge\.js$/ }, (args) => ({
      contents: `var __dirname = require("node:path").join(require.resolve("../hcl2json/main.wasm.gz"), "../build");\n${readFileSync(args.path, "utf8")}`,
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Node's built-in modules taken with process.getBuiltinModule instead of an ES import: the ES
 * import of a built-in builds a facade of all its exports, whose getters load what the bundle never
 * uses (node:fs's streams and promises, about twenty internal modules, before main reads an input).
 * esbuild reads the CommonJS stand-in's exports only when they are used, so nothing more loads.
 * @type {import("esbuild").Plugin}
 */
const builtinsOnDemand = {
  name: "builtins-on-demand",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-builtin" }));
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

/** The files a bundle reads at run time beside its chunks: hcl2json's WebAssembly and its licence. */
function copyBundleAssets(outdir) {
  const hcl2json = dirname(createRequire(import.meta.url).resolve("@cdktn/hcl2json/package.json"));
  mkdirSync(join(outdir, "hcl2json"), { recursive: true });
  for (const file of ["main.wasm.gz", "LICENSE"]) copyFileSync(join(hcl2json, file), join(outdir, "hcl2json", file));
}

/** What every Node bundle of ours shares (the Action's, and the keybridge command's in build-package.mjs). */
export const nodeBundleOptions = {
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "linked",
  // Some CommonJS dependencies call require(); give the ESM bundle a real one, made on its first
  // call: every chunk has the banner, few chunks call it. Taken with getBuiltinModule: an ES import
  // of node:module builds a facade of all its exports (5 ms a process on Node 24).
  banner: {
    js: "const require = (() => { let made; const real = () => (made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)); "
      + "return Object.assign((id) => real()(id), { resolve: (id, options) => real().resolve(id, options) }); })();",
  },
  // Resolve node_modules by the path it is reached through, not its target: a worktree whose
  // node_modules links to another checkout's then builds the same bytes as that checkout.
  preserveSymlinks: true,
  logLevel: "warning",
  // hcl2json's Go glue falls back to require("performance") on runtimes without the global; Node has it.
  external: ["performance"],
  plugins: [hcl2jsonDirname, builtinsOnDemand],
};

/**
 * The steps main loads only in their mode, bundled apart from the fetch path: dist/chunks/<name>.mjs,
 * sharing chunks with each other but none with main.js or post.js.
 */
const modeSteps = { plan: "action/plan/plan-step.ts", rotate: "action/rotate/rotate-step.ts" };

/**
 * main.ts's import() of a mode step becomes an import of that step's bundle, so the fetch path's
 * build holds fetch mode alone.
 * @type {import("esbuild").Plugin}
 */
const modeStepsApart = {
  name: "mode-steps-apart",
  setup(build) {
    const bundleOf = new Map(Object.entries(modeSteps).map(([name, entry]) => [fileURLToPath(new URL(`../${entry}`, import.meta.url)), `./chunks/${name}.mjs`]));
    build.onResolve({ filter: /-step\.ts$/ }, (args) => {
      const bundle = bundleOf.get(resolve(args.resolveDir, args.path));
      return bundle ? { path: bundle, external: true } : undefined;
    });
  },
};

/**
 * The Action's two builds. The fetch path (main.js, post.js) is one CommonJS file per step, without
 * splitting: node loads each ES module file on its own (resolve, read, compile, link), and the
 * twenty chunks a split build gave main cost more than the bytes they saved; and an ES module entry
 * makes node start its ES module loader, about 4 ms a step that CommonJS does not pay. What the
 * missing-input path does not need stays unevaluated until its import() (esbuild defers a
 * dynamically imported module's top level). The plan and rotate steps are a split ES module build
 * of their own, as .mjs files.
 * @param {string} outdir
 * @returns {import("esbuild").BuildOptions[]}
 */
export function actionBuilds(outdir) {
  return [
    {
      ...nodeBundleOptions,
      format: "cjs",
      // CommonJS has its own require: no banner. esbuild writes "use strict", as ES modules are.
      banner: {},
      splitting: false,
      entryPoints: { main: "action/main.ts", post: "action/post.ts" },
      outdir,
      minify: true,
      plugins: [...nodeBundleOptions.plugins, modeStepsApart],
    },
    {
      ...nodeBundleOptions,
      entryPoints: Object.fromEntries(Object.entries(modeSteps).map(([name, entry]) => [`chunks/${name}`, entry])),
      outdir,
      outExtension: { ".js": ".mjs" },
      minify: true,
    },
  ];
}

/**
 * Makes the CommonJS bundles in `outdir` CommonJS to node: the repository's package.json says
 * "module", and node reads a .js file by the nearest package.json (dist/main.js and dist/post.js,
 * the CLI's build/bin/).
 */
export function writeBundleScope(outdir) {
  writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
}

/**
 * Everything dist/ holds, built into `outdir`: both builds, their package scope and the HCL
 * parser's assets. `extra` is added to each build's options (the benchmark's metafile).
 * @param {string} outdir
 * @param {import("esbuild").BuildOptions} [extra]
 * @returns {Promise<import("esbuild").BuildResult[]>}
 */
export async function buildAction(outdir, extra = {}) {
  const results = [];
  for (const options of actionBuilds(outdir)) results.push(await build({ ...options, ...extra }));
  writeBundleScope(outdir);
  copyBundleAssets(outdir);
  return results;
}
