// `npm run release -- X.Y.Z`: cuts a release of the Action from a clean checkout. Checks that
// package.json says X.Y.Z, rebuilds dist/ and refuses when it differs from what is committed
// (GitHub runs the committed bundles), then tags vX.Y.Z and moves the major tag vX to it.
// It pushes nothing: it prints the command that publishes both tags.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

const version = process.argv[2];
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) fail(`give the version as X.Y.Z, got "${version ?? ""}": npm run release -- 1.2.3`);
const declared = JSON.parse(readFileSync("package.json", "utf8")).version;
if (declared !== version) fail(`package.json says ${declared}: run npm version ${version} --no-git-tag-version, commit, and run this again`);
if (git("status", "--porcelain") !== "") fail("the working tree has changes: commit or stash them first");
const tag = `v${version}`;
if (git("tag", "--list", tag) !== "") fail(`${tag} exists already: releases never move; bump the version`);

const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
if (build.status !== 0) fail("npm run build failed");
const stale = git("status", "--porcelain", "--", "dist");
if (stale !== "") fail(`dist/ differs from what the sources build to:\n${stale}\nrun npm run build, commit dist/, and run this again`);

const major = `v${version.split(".")[0]}`;
git("tag", "-a", tag, "-m", `Keybridge ${version}`);
git("tag", "-f", "-a", major, "-m", `Keybridge ${version}`, "HEAD");
process.stdout.write(`release: tagged ${tag} and moved ${major} to it; publish with:\n  git push origin ${tag} && git push --force origin ${major}\n`);
