// `npm run check:pack`: the package as a user gets it. Packs it, installs the tarball into a fresh
// temporary project (everything else from the npm registry, in one `npm install`), and runs the
// README's install examples as they are written: the README's blocks marked
//   <!-- pack-check: install -->    npm install lines; their packages are installed together, with
//                                   "keybridge" meaning the tarball just packed
//   <!-- pack-check: file NAME -->  the next code block is written to NAME
//   <!-- pack-check: run -->        the next block runs in bash (set -euo pipefail), in README order
// Then loads every entry of the exports map, and prints the packed size, and the installed size and package count for a user of the
// constructs and for a user of the CLI. The temporary project is removed, also on failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const marker = /<!-- pack-check: (install|file|run)(?: (\S+))? -->\n```\w*\n([\s\S]*?)\n```/g;

function readmeSteps() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const steps = [...readme.matchAll(marker)].map(([, kind, name, body]) => ({ kind, name, body }));
  for (const kind of ["install", "file", "run"]) {
    if (!steps.some((step) => step.kind === kind)) throw new Error(`README.md has no <!-- pack-check: ${kind} --> block`);
  }
  return steps;
}

/** The packages of every `npm install` line of the install blocks, flags dropped, comments cut. */
function installPackages(steps, tarball) {
  const packages = new Set();
  for (const step of steps.filter((step) => step.kind === "install")) {
    for (const line of step.body.split("\n")) {
      const words = line.replace(/#.*$/, "").trim().split(/\s+/);
      if (words[0] !== "npm" || words[1] !== "install") throw new Error(`an install block holds "${line}"; only npm install lines are understood`);
      for (const word of words.slice(2)) if (!word.startsWith("-")) packages.add(word === "keybridge" ? tarball : word);
    }
  }
  return [...packages];
}

function run(command, args, cwd, timeout = 300_000, options = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout, stdio: ["ignore", "pipe", "pipe"], ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ").slice(0, 200)} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function directorySize(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return total + directorySize(path);
    return entry.isFile() ? total + statSync(path).size : total;
  }, 0);
}

/** The installed packages a user of `names` gets: their dependency closure in the project's node_modules. */
function closure(project, names) {
  const seen = new Set();
  const queue = names.map((name) => [name, project]);
  while (queue.length > 0) {
    const [name, from] = queue.shift();
    let dir;
    for (let at = from; ; at = dirname(at)) {
      const candidate = join(at, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) { dir = candidate; break; }
      if (at === project || dirname(at) === at) break;
    }
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const child of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push([child, dir]);
  }
  return { packages: seen.size, bytes: [...seen].reduce((total, dir) => total + directorySize(dir) - nestedSize(dir), 0) };
}

/** A package's own node_modules is counted as packages of their own, not twice. */
function nestedSize(dir) {
  const nested = join(dir, "node_modules");
  return existsSync(nested) ? directorySize(nested) : 0;
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function main() {
  const steps = readmeSteps();
  const work = mkdtempSync(join(tmpdir(), "keybridge-pack-check-"));
  try {
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root))[0];
    const tarball = join(work, packed.filename);
    const project = join(work, "project");
    run("mkdir", [project], work);
    run("npm", ["init", "-y"], project);
    const packages = installPackages(steps, tarball);
    process.stdout.write(`pack-check: npm install ${packages.map((name) => (name === tarball ? "keybridge (tarball)" : name)).join(" ")}\n`);
    run("npm", ["install", "--no-audit", "--no-fund", ...packages], project);
    for (const step of steps) {
      if (step.kind === "file") writeFileSync(join(project, step.name), `${step.body}\n`);
      if (step.kind !== "run") continue;
      process.stdout.write(`pack-check: running\n${step.body.replace(/^/gm, "  $ ")}\n`);
      // The block runs as its own process group; when it ends, whatever happens, everything it
      // started in the background (keybridge dev under npx, npx's child included) is stopped.
      const script = `set -euo pipefail\ntrap 'status=$?; trap "" TERM; kill -TERM -- -$$ 2>/dev/null; exit $status' EXIT\n${step.body}\n`;
      const output = run("bash", ["-c", script], project, 120_000, { detached: true });
      process.stdout.write(output.replace(/^(?=.)/gm, "    "));
    }
    // Every entry of the exports map loads, not only the one the README shows.
    const entries = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports).filter((entry) => entry.startsWith(".") && !entry.endsWith(".json"));
    for (const entry of entries) run(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(`keybridge${entry.slice(1)}`)})`], project);
    process.stdout.write(`pack-check: the exports load: ${entries.map((entry) => `keybridge${entry.slice(1)}`).join(", ")}\n`);
    const constructs = closure(project, ["keybridge", "cdktf", "constructs"]);
    const cli = closure(project, ["keybridge"]);
    process.stdout.write(`pack-check: packed ${packed.filename}: ${(packed.size / 1e3).toFixed(0)} kB packed, ${megabytes(packed.unpackedSize)} unpacked, ${packed.entryCount} files\n`);
    process.stdout.write(`pack-check: a user of the constructs (keybridge, cdktf, constructs) installs ${constructs.packages} packages, ${megabytes(constructs.bytes)}\n`);
    process.stdout.write(`pack-check: a user of the CLI (keybridge) installs ${cli.packages} packages, ${megabytes(cli.bytes)}\n`);
    process.stdout.write("pack-check: ok\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`pack-check: ${error.message}\n`);
  process.exitCode = 1;
}
