// Bundles the Action's entry points into dist/. The output is committed (GitHub runs it without
// npm install), so the build must be deterministic: same sources, same bytes. Code splitting lets
// main load the HTTP stack only after its inputs are valid, so a mistake fails fast.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { actionBuildOptions, copyBundleAssets } from "./action-build-options.mjs";

rmSync("dist", { recursive: true, force: true });
await build(actionBuildOptions("dist"));
// Plan mode of Terraform configurations parses HCL with WebAssembly read from dist/ at run time.
copyBundleAssets("dist");
