// Bundles the Action's entry points into dist/. The output is committed (GitHub runs it without
// npm install), so the build must be deterministic: same sources, same bytes.
import { build } from "esbuild";

const entries = { main: "action/main.ts", post: "action/post.ts" };

await build({
  entryPoints: entries,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "linked",
  // Some CommonJS dependencies call require(); give the ESM bundle a real one.
  banner: { js: "import { createRequire as __kbRequire } from 'node:module'; const require = __kbRequire(import.meta.url);" },
  logLevel: "warning",
});
