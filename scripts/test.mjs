// Runs the test files with node's own test runner (TypeScript through tsx). Node 20's --test does
// not expand globs, so the file list is built here.
//   node scripts/test.mjs            every test/**/*.test.ts that needs only Node
//   node scripts/test.mjs --system   the *.system.test.ts files, which need Debian packages
//                                    (python3-hvac, openssl; .ci/run installs them)
//   node scripts/test.mjs FILE...    the files given
// The tests run with TMPDIR set to a private directory; whatever they leave in it fails the run.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function findTests(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

const args = process.argv.slice(2);
const system = args.includes("--system");
const only = args.filter((arg) => arg !== "--system");
const files = only.length > 0
  ? only
  : findTests("test", system ? ".system.test.ts" : ".test.ts").filter((file) => system || !file.endsWith(".system.test.ts")).sort();

const scratch = mkdtempSync(join(tmpdir(), "keybridge-tests-"));
// tsx keeps its compile cache in <tmpdir>/tsx-<uid>: point that at the usual one, so that runs stay warm.
const tsxCache = `tsx-${process.getuid?.() ?? "user"}`;
mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
symlinkSync(join(tmpdir(), tsxCache), join(scratch, tsxCache), "dir");
const env = { ...process.env, TMPDIR: scratch };
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], { stdio: "inherit", env });
const left = readdirSync(scratch).filter((name) => name !== tsxCache);
rmSync(scratch, { recursive: true, force: true });
if (left.length > 0) {
  process.stderr.write(`tests left ${left.length} entries in the temp directory (each test removes what it creates): ${left.sort().join(", ")}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
