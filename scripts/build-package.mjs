// Builds what `npm pack` ships into build/ (or the directory given): the product rooms that
// tsconfig.build.json names, compiled by tsc to ESM JavaScript with type declarations (the
// entries of `exports`), and the `keybridge` command as CommonJS bundles: bin/keybridge.js (the
// table of commands) and one file per command in bin/commands/, which it requires when that
// command runs. A command loads one file, not a few hundred modules (zod alone is 172), nor the
// twenty chunks a split ES module build gave `plan`: node 20 resolves, reads, compiles and links
// each ES module on its own, and a cold `keybridge plan` of 10,000 changed grants took 30-45 ms
// longer so (15-20 ms on node 24). Users run no TypeScript loader and no bundler; tsx stays
// external, for `keybridge synth` of TypeScript apps.
import { chmodSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { nodeBundleOptions, writeBundleScope } from "./action-build-options.mjs";

const outdir = resolve(process.argv[2] ?? "build");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync(outdir, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outdir], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const cli = join(outdir, "bin");
rmSync(cli, { recursive: true, force: true });
const commandModules = new Set();

/**
 * The table's import() of a command becomes a require() of that command's bundle, made when the
 * command runs (esbuild defers a dynamically imported module's top level): a CommonJS file loaded
 * with import() would start node's ES module loader, which reads the whole file for its exports.
 * @type {import("esbuild").Plugin}
 */
const commandsApart = {
  name: "commands-apart",
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== "dynamic-import" || basename(args.importer) !== "keybridge.ts") return undefined;
      const module = resolve(args.resolveDir, args.path);
      commandModules.add(module);
      return { path: `./commands/${basename(module, ".ts")}.js`, namespace: "keybridge-command" };
    });
    build.onLoad({ filter: /.*/, namespace: "keybridge-command" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
    build.onResolve({ filter: /^\.\/commands\// }, (args) => ({ path: args.path, external: true }));
  },
};

// CommonJS has its own require: no banner. hcl2json stays a dependency of its own: it loads its
// WebAssembly from its package directory.
const cliOptions = { ...nodeBundleOptions, format: "cjs", banner: {}, splitting: false, external: ["tsx", "tsx/*", "@cdktn/hcl2json"] };
await build({ ...cliOptions, entryPoints: { keybridge: "bin/keybridge.ts" }, outdir: cli, plugins: [...cliOptions.plugins, commandsApart] });
const commands = Object.fromEntries([...commandModules].map((module) => [basename(module, ".ts"), module]));
if (Object.keys(commands).length !== commandModules.size) throw new Error("two commands' modules have the same file name: their bundles would collide");
await build({ ...cliOptions, entryPoints: commands, outdir: join(cli, "commands") });
writeBundleScope(cli);
chmodSync(join(cli, "keybridge.js"), 0o755);
