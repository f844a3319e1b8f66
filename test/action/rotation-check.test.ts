import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeOverdue, overdueSecrets } from "../../action/rotation-check.ts";
import { rotationMetadata } from "../../policy/rotation-metadata.ts";
import type { SecretRead } from "../../client/backends/backend.ts";

const now = new Date("2026-11-25T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const thirtyDays = rotationMetadata({ name: "database", keys: ["password"], rotation: { maxAgeSeconds: 30 * 86_400, strategy: "manual" } });

function read(path: string, writtenAt: Date | undefined, customMetadata: Record<string, unknown> | undefined): SecretRead {
  return { path, data: { password: "never-shown" }, lease: undefined, writtenAt, customMetadata };
}

describe("rotation check", () => {
  it("names the secrets older than their rotation rule, with their age", () => {
    const overdue = overdueSecrets([
      read("secret/data/a", daysAgo(45), thirtyDays),
      read("secret/data/b", daysAgo(29), thirtyDays),
      read("secret/data/c", daysAgo(400), undefined),
      read("secret/data/d", undefined, thirtyDays),
    ], now);
    assert.deepEqual(overdue.map((secret) => secret.path), ["secret/data/a"]);
    assert.equal(describeOverdue(overdue[0]!), "secret/data/a was last written 45 days ago; its rotation rule allows 30 days: rotate it");
  });

  it("ignores metadata it cannot read", () => {
    assert.deepEqual(overdueSecrets([read("x", daysAgo(45), { "keybridge-rotation-max-age": "30 days" })], now), []);
  });
});
