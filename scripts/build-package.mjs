// Compiles the product rooms (tsconfig.build.json names them) to ESM JavaScript with type
// declarations in build/, what `npm pack` ships: users run no TypeScript loader or bundler.
import { chmodSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync("build", { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
chmodSync("build/bin/keybridge.js", 0o755);
