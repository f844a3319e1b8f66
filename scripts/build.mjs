// Bundles the Action's entry points into dist/. The output is committed (GitHub runs it without
// npm install), so the build must be deterministic: same sources, same bytes. The fetch path's
// steps are one file each; plan and rotate modes are bundled apart (action-build-options.mjs).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { actionBuilds, copyBundleAssets, writeBundleScope } from "./action-build-options.mjs";

rmSync("dist", { recursive: true, force: true });
for (const options of actionBuilds("dist")) await build(options);
writeBundleScope("dist");
// Plan mode of Terraform configurations parses HCL with WebAssembly read from dist/ at run time.
copyBundleAssets("dist");
