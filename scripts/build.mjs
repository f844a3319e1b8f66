// Bundles the Action's entry points into dist/. The output is committed (GitHub runs it without
// npm install), so the build must be deterministic: same sources, same bytes. The fetch path's
// steps are one file each; plan and rotate modes are bundled apart (action-build-options.mjs).
import { rmSync } from "node:fs";
import { buildAction } from "./action-build-options.mjs";

rmSync("dist", { recursive: true, force: true });
await buildAction("dist");
