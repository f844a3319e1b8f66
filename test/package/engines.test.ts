// package.json's `engines` must be true for everything a user installs with Keybridge: every
// package of the runtime tree (dependencies and the peers a user adds) must run on the oldest
// Node that `engines` admits.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** Node's lookup: <dir>/node_modules/<name>, then the same in every parent directory. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every installed package reachable from the root's dependencies and peers, by directory. */
function runtimeTree(): Map<string, Manifest> {
  const rootManifest = readManifest(root);
  const seen = new Map<string, Manifest>();
  const queue: Array<[string, string]> = [...Object.keys(rootManifest.dependencies ?? {}), ...Object.keys(rootManifest.peerDependencies ?? {})].map((name) => [name, root]);
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const dir = packageDir(name, from);
    if (!dir || seen.has(dir)) continue;
    const manifest = readManifest(dir);
    seen.set(dir, manifest);
    for (const child of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push([child, dir]);
  }
  return seen;
}

describe("engines", () => {
  it("holds for every package of the runtime tree", () => {
    const range = readManifest(root).engines?.node;
    assert.ok(range, "package.json declares engines.node");
    const oldest = semver.minVersion(range)!.version;
    const tree = runtimeTree();
    assert.ok(tree.size > 4, `the runtime tree was found (${tree.size} packages)`);
    const refusing = [...tree.values()]
      .filter((manifest) => manifest.engines?.node && !semver.satisfies(oldest, manifest.engines.node))
      .map((manifest) => `${manifest.name}@${manifest.version} wants node ${manifest.engines!.node}`);
    assert.deepEqual(refusing, [], `engines says node ${range}, so node ${oldest} must run all of these`);
  });

  it("keeps the Action's own toolkit out of the runtime tree (it is bundled into dist/)", () => {
    const names = new Set([...runtimeTree().values()].map((manifest) => manifest.name));
    assert.ok(!names.has("@actions/github"));
    assert.ok(!names.has("@actions/core"));
  });
});
