// Bundles the Action's entry points into dist/. The output is committed (GitHub runs it without
// npm install), so the build must be deterministic: same sources, same bytes. Code splitting lets
// main load the HTTP stack only after its inputs are valid, so a mistake fails fast.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { main: "action/main.ts", post: "action/post.ts" },
  outdir: "dist",
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
});
