// The Infisical audit-row reader: which rows read the secret (get-secret of the key, get-secrets
// of its folder, in its project and environment), grouping by actor, rows not shaped as
// Infisical's, repeated rows across pages, and the secret's path form.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InfisicalReadScanner, parseInfisicalSecret, readsSecret, type AuditRow } from "../../../bin/incident/infisical-audit.ts";

const projectId = "0f3c2a1e-7b6d-4e5f-8a9b-1c2d3e4f5a6b";
const secret = parseInfisicalSecret("shop/prod/app/db/PASSWORD");
let next = 0;

function row(overrides: { type?: string; metadata?: Record<string, unknown>; actor?: AuditRow["actor"]; createdAt?: string; projectId?: string; id?: string } = {}): AuditRow {
  return {
    id: overrides.id ?? `row-${next++}`,
    createdAt: overrides.createdAt ?? "2026-12-06T14:00:00.000Z",
    ipAddress: "10.0.0.7",
    userAgent: "keybridge",
    userAgentType: "other",
    projectId: overrides.projectId ?? projectId,
    event: { type: overrides.type ?? "get-secret", metadata: overrides.metadata ?? { environment: "prod", secretPath: "/app/db", secretKey: "PASSWORD", secretVersion: 1 } },
    actor: overrides.actor ?? { type: "identity", metadata: { identityId: "id-main", name: "ci-main" } },
  };
}

describe("parseInfisicalSecret", () => {
  it("splits project, environment, folder and key as keybridge access names a secret", () => {
    assert.deepEqual(parseInfisicalSecret("shop/prod/app/db/PASSWORD"), { project: "shop", environment: "prod", folder: "/app/db", key: "PASSWORD" });
    assert.deepEqual(parseInfisicalSecret("/shop/prod/ROOT_KEY/"), { project: "shop", environment: "prod", folder: "/", key: "ROOT_KEY" });
  });

  it("refuses a path without environment or key, with a code and an example", () => {
    assert.throws(() => parseInfisicalSecret("shop/KEY"), { code: "KB_INPUT_INVALID", message: /^--path "shop\/KEY": an Infisical secret is <project>\/<environment>\/.*\(e\.g\. / });
    assert.throws(() => parseInfisicalSecret("shop//app/KEY"), { code: "KB_INPUT_INVALID" });
  });
});

describe("readsSecret", () => {
  it("counts a get-secret of the key and a get-secrets listing of its folder", () => {
    assert.equal(readsSecret(row(), secret, projectId), true);
    assert.equal(readsSecret(row({ type: "get-secrets", metadata: { environment: "prod", secretPath: "/app/db", numberOfSecrets: 2 } }), secret, projectId), true);
    assert.equal(readsSecret(row({ metadata: { environment: "prod", secretPath: "/app/db/", secretKey: "PASSWORD" } }), secret, projectId), true, "a trailing slash is the same folder");
  });

  it("passes over another key, folder, environment, project or event", () => {
    assert.equal(readsSecret(row({ metadata: { environment: "prod", secretPath: "/app/db", secretKey: "HOST" } }), secret, projectId), false);
    assert.equal(readsSecret(row({ metadata: { environment: "prod", secretPath: "/app", secretKey: "PASSWORD" } }), secret, projectId), false);
    assert.equal(readsSecret(row({ metadata: { environment: "dev", secretPath: "/app/db", secretKey: "PASSWORD" } }), secret, projectId), false);
    assert.equal(readsSecret(row({ projectId: "another" }), secret, projectId), false);
    assert.equal(readsSecret(row({ type: "update-secret" }), secret, projectId), false);
  });
});

describe("InfisicalReadScanner", () => {
  it("groups reads by actor with counts, listings, first and last read, addresses and user agents", () => {
    const scanner = new InfisicalReadScanner(secret, projectId, undefined);
    scanner.add(row({ createdAt: "2026-12-06T14:05:00.000Z" }));
    scanner.add(row({ createdAt: "2026-12-06T14:01:00.000Z", type: "get-secrets", metadata: { environment: "prod", secretPath: "/app/db", numberOfSecrets: 2 } }));
    scanner.add(row({ actor: { type: "identity", metadata: { identityId: "id-nightly", name: "nightly" } }, createdAt: "2026-12-06T14:03:00.000Z" }));
    scanner.add(row({ actor: { type: "user", metadata: { userId: "u-1", email: "ops@example.com" } } }));
    scanner.add(row({ metadata: { environment: "prod", secretPath: "/app/db", secretKey: "HOST" } }));
    const scan = scanner.result();
    assert.equal(scan.rows, 5);
    assert.equal(scan.reads, 4);
    assert.deepEqual(scan.readers.map((reader) => [reader.actorType, reader.actorId, reader.name, reader.reads, reader.listings]), [
      ["user", "u-1", "ops@example.com", 1, 0],
      ["identity", "id-main", "ci-main", 2, 1],
      ["identity", "id-nightly", "nightly", 1, 0],
    ]);
    const main = scan.readers.find((reader) => reader.actorId === "id-main")!;
    assert.equal(main.firstRead, "2026-12-06T14:01:00.000Z");
    assert.equal(main.lastRead, "2026-12-06T14:05:00.000Z");
    assert.deepEqual([...main.ipAddresses], ["10.0.0.7"]);
    assert.deepEqual([...main.userAgents], ["keybridge"]);
  });

  it("counts a row not shaped as Infisical's as unreadable and never as a read", () => {
    const scanner = new InfisicalReadScanner(secret, projectId, undefined);
    for (const bad of [null, "text", { id: "x" }, { ...row(), createdAt: "yesterday" }, { ...row(), event: "get-secret" }]) scanner.add(bad);
    const scan = scanner.result();
    assert.deepEqual([scan.rows, scan.badRows, scan.reads, scan.readers.length], [5, 5, 0, 0]);
  });

  it("counts a row repeated across pages once", () => {
    const scanner = new InfisicalReadScanner(secret, projectId, undefined);
    scanner.add(row({ id: "same" }));
    scanner.add(row({ id: "same" }));
    assert.equal(scanner.result().reads, 1);
  });

  it("passes over a row older than --since even when the server sent it", () => {
    const scanner = new InfisicalReadScanner(secret, projectId, Date.parse("2026-12-06T14:02:00Z"));
    scanner.add(row({ createdAt: "2026-12-06T14:01:00.000Z" }));
    scanner.add(row({ createdAt: "2026-12-06T14:03:00.000Z" }));
    assert.equal(scanner.result().reads, 1);
  });
});
