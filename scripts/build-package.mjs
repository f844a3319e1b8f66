// Builds what `npm pack` ships into build/ (or the directory given): the product rooms that
// tsconfig.build.json names, compiled by tsc to ESM JavaScript with type declarations (the
// entries of `exports`), and the `keybridge` command as one esbuild bundle split per command, so
// that a command loads one file per chunk instead of a few hundred modules (zod alone is 172):
// `--help` and a small `plan` start in a small multiple of node's own start. Users run no
// TypeScript loader and no bundler; tsx stays external, for `keybridge synth` of TypeScript apps.
import { chmodSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { nodeBundleOptions } from "./action-build-options.mjs";

const outdir = resolve(process.argv[2] ?? "build");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync(outdir, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outdir], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const cli = join(outdir, "bin");
rmSync(cli, { recursive: true, force: true });
// hcl2json stays a dependency of its own: it loads its WebAssembly from its package directory.
await build({ ...nodeBundleOptions, entryPoints: { keybridge: "bin/keybridge.ts" }, outdir: cli, external: ["tsx", "tsx/*", "@cdktn/hcl2json"] });
chmodSync(join(cli, "keybridge.js"), 0o755);
