// rotateSecret and rollbackSecret over an in-memory versioned store: due or not by the current
// version's age, a gone version is due, unlisted keys are kept, a lost check-and-set is "already
// rotated", dry runs write nothing, and rollback rewrites the previous readable version.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rotateSecret } from "../../../client/rotation/rotate-secret.ts";
import { rollbackSecret } from "../../../client/rotation/rollback-secret.ts";
import { describeRotation } from "../../../client/rotation/outcome-lines.ts";
import type { SecretVersions, VersionedSecretStore, WriteResult } from "../../../client/rotation/versioned-store.ts";

interface StoredVersion { data: Record<string, unknown>; createdAt: Date; gone: boolean }

class MemoryStore implements VersionedSecretStore {
  readonly name = "Vault";
  readonly versionsOf = new Map<string, StoredVersion[]>();
  /** Set to make the next write lose its check-and-set, as if another rotator wrote first. */
  raceLost = false;

  constructor(private readonly now: () => Date) {}

  describePath(path: string): string {
    return `secret/data/${path}`;
  }

  async versions(path: string): Promise<SecretVersions | undefined> {
    const list = this.versionsOf.get(path);
    if (!list) return undefined;
    return { currentVersion: list.length, versions: new Map(list.map((version, i) => [i + 1, { createdAt: version.createdAt, gone: version.gone }])) };
  }

  async readVersion(path: string, version: number) {
    const stored = this.versionsOf.get(path)?.[version - 1];
    return stored && !stored.gone ? stored.data : undefined;
  }

  async writeVersion(path: string, data: Readonly<Record<string, unknown>>, expected: number): Promise<WriteResult> {
    const list = this.versionsOf.get(path) ?? [];
    if (this.raceLost || list.length !== expected) return { conflict: true };
    list.push({ data: { ...data }, createdAt: this.now(), gone: false });
    this.versionsOf.set(path, list);
    return { written: list.length };
  }
}

const rule = { maxAgeSeconds: 3600, generator: { format: "hex" as const } };
const secret = { path: "ml/prod/webhook", keys: ["signing-key"] };
let clock = new Date("2026-06-01T00:00:00Z");
const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

describe("rotateSecret", () => {
  it("writes v1 when the secret has no value yet, and keeps keys it does not generate", async () => {
    const store = new MemoryStore(() => clock);
    assert.deepEqual(await rotateSecret(store, secret, rule, { now: clock }), { kind: "rotated", path: secret.path, from: 0, to: 1 });
    store.versionsOf.get(secret.path)![0]!.data.note = "kept";
    later(3600);
    assert.equal((await rotateSecret(store, secret, rule, { now: clock })).kind, "rotated");
    const latest = store.versionsOf.get(secret.path)![1]!.data;
    assert.equal(latest.note, "kept");
    assert.match(String(latest["signing-key"]), /^[0-9a-f]{32}$/);
  });

  it("is not due before the period has passed, and says when it will be", async () => {
    const store = new MemoryStore(() => clock);
    await rotateSecret(store, secret, rule, { now: clock });
    later(600);
    const outcome = await rotateSecret(store, secret, rule, { now: clock });
    assert.deepEqual(outcome, { kind: "not-due", path: secret.path, version: 1, nextInSeconds: 3000 });
    assert.equal(describeRotation(outcome), "not due ml/prod/webhook (v1, next in 50 min)");
  });

  it("is due when the current version is deleted or destroyed", async () => {
    const store = new MemoryStore(() => clock);
    await rotateSecret(store, secret, rule, { now: clock });
    store.versionsOf.get(secret.path)![0]!.gone = true;
    assert.deepEqual(await rotateSecret(store, secret, rule, { now: clock }), { kind: "rotated", path: secret.path, from: 1, to: 2 });
  });

  it("reports a lost check-and-set as already rotated, and a dry run writes nothing", async () => {
    const store = new MemoryStore(() => clock);
    assert.deepEqual(await rotateSecret(store, secret, rule, { now: clock, dryRun: true }), { kind: "would-rotate", path: secret.path, from: 0 });
    assert.equal(store.versionsOf.size, 0);
    store.raceLost = true;
    assert.deepEqual(await rotateSecret(store, secret, rule, { now: clock }), { kind: "already-rotated", path: secret.path, from: 0 });
  });
});

describe("rollbackSecret", () => {
  it("writes the previous readable version's data as a new version", async () => {
    const store = new MemoryStore(() => clock);
    store.versionsOf.set(secret.path, [
      { data: { k: "one" }, createdAt: clock, gone: false },
      { data: { k: "two" }, createdAt: clock, gone: true },
      { data: { k: "three" }, createdAt: clock, gone: false },
    ]);
    assert.deepEqual(await rollbackSecret(store, secret.path), { kind: "rolled-back", path: secret.path, from: 3, to: 4, restored: 1 });
    assert.deepEqual(store.versionsOf.get(secret.path)![3]!.data, { k: "one" });
  });

  it("fails when nothing earlier can be read, with KB_ROLLBACK_IMPOSSIBLE", async () => {
    const store = new MemoryStore(() => clock);
    store.versionsOf.set(secret.path, [{ data: { k: "one" }, createdAt: clock, gone: true }, { data: { k: "two" }, createdAt: clock, gone: false }]);
    await assert.rejects(rollbackSecret(store, secret.path), (error: Error & { code?: string }) => error.code === "KB_ROLLBACK_IMPOSSIBLE" && /no readable version before v2/.test(error.message));
  });
});
