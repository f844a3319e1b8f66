// The drill in-process against the dev backend on the test clock: a dynamic database credential
// read by two tokens and by the drill's own token. The two are revoked with every lease under the
// role, the drill's own token is left alone, unreadable log lines are counted; and the small
// decisions (which reads count, which audit device, what --since means) one by one.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectOk, startTestBackend, type TestBackend } from "../../support/dev-backend.ts";
import { HttpClient } from "../../../client/http/http-client.ts";
import { chooseDevice, runDrill, type DrillOptions } from "../../../bin/incident/drill.ts";
import { VaultAdmin } from "../../../bin/incident/vault-admin.ts";
import { readMatcher } from "../../../bin/incident/read-paths.ts";
import { parseAuditLine } from "../../../bin/incident/audit-line.ts";
import { parseSince } from "../../../bin/incident/incident-command.ts";
import { reportJson, reportMarkdown } from "../../../bin/incident/report.ts";
import { KeybridgeError } from "../../../policy/errors/keybridge-error.ts";

let test: TestBackend;
let dir: string;
let auditLog: string;
let http: HttpClient;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "keybridge-drill-"));
  auditLog = join(dir, "audit.log");
  test = await startTestBackend({ auditLogPath: auditLog });
  http = new HttpClient({ timeoutMs: 30_000, retries: 0 });
  await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
  await expectOk(
    test.vault("POST", "database/config/pg", {
      body: { plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@db.internal:5432/x", username: "admin", password: "db-root-pw", allowed_roles: "app" },
    }),
  );
  await expectOk(test.vault("POST", "database/roles/app", { body: { db_name: "pg", creation_statements: ["CREATE ROLE \"{{name}}\";"], default_ttl: "1h" } }));
  await expectOk(test.vault("PUT", "sys/policies/acl/db-app", { body: { policy: 'path "database/creds/app" { capabilities = ["read"] }' } }));
});

after(async () => {
  await http.close();
  await test.close();
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<DrillOptions> = {}): DrillOptions {
  return { path: "database/creds/app", auditLog, sinceMs: undefined, dryRun: false, auditDevice: undefined, access: undefined, now: () => test.clock.ms, ...extra };
}

describe("the drill on a database credential", () => {
  it("revokes the readers' tokens and every lease of the role, never its own token, and counts bad lines", async () => {
    const tokens: string[] = [];
    const leases: string[] = [];
    for (let index = 0; index < 2; index++) {
      const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["db-app"], display_name: `reader-${index}` } }));
      tokens.push(created.body.auth.client_token);
      leases.push((await expectOk(test.vault("GET", "database/creds/app", { token: tokens[index] }))).body.lease_id);
    }
    leases.push((await expectOk(test.vault("GET", "database/creds/app"))).body.lease_id);
    await appendFile(auditLog, "not json\n{\"type\":\"response\",\"time\":\"later\"}\n");

    const admin = new VaultAdmin(http, { url: new URL(test.addr), namespace: undefined, token: test.rootToken });
    const result = await runDrill(admin, options());
    assert.deepEqual(result.readers.map((reader) => [reader.token.displayName, reader.action]), [
      ["token-reader-0", "revoked"],
      ["token-reader-1", "revoked"],
      ["root", "drill-token"],
    ]);
    assert.deepEqual(result.leases, [{ prefix: "database/creds/app", action: "revoked" }]);
    assert.equal(result.scan.badLines, 2);
    assert.equal(result.device, "file/");
    for (const token of tokens) assert.equal((await test.vault("GET", "auth/token/lookup-self", { token })).status, 403);
    for (const lease of leases) assert.equal((await test.vault("PUT", "sys/leases/lookup", { body: { lease_id: lease } })).status, 400, "lease revoked");
    assert.equal((await test.vault("GET", "auth/token/lookup-self")).status, 200, "the drill's own token lives");

    const markdown = reportMarkdown(result);
    assert.match(markdown, /Revoked every lease under `database\/creds\/app`/);
    assert.match(markdown, /2 unreadable \(first: line \d+, \d+\)/);
    for (const token of [...tokens, test.rootToken]) assert.ok(!markdown.includes(token) && !reportJson(result).includes(token));
  });
});

describe("the drill's report", () => {
  it("keeps a hostile display name and metadata inert: one table row, no raw pipe, tag or line break", async () => {
    await expectOk(test.vault("PUT", "sys/policies/acl/kv-read", { body: { policy: 'path "secret/data/leak" { capabilities = ["read"] }' } }));
    await expectOk(test.vault("POST", "secret/data/leak", { body: { data: { value: "v" } } }));
    const hostile = "x | y <img src=x>\n## z";
    const created = await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["kv-read"], display_name: hostile, meta: { ref: hostile } } }));
    await expectOk(test.vault("GET", "secret/data/leak", { token: created.body.auth.client_token }));
    const admin = new VaultAdmin(http, { url: new URL(test.addr), namespace: undefined, token: test.rootToken });
    const markdown = reportMarkdown(await runDrill(admin, options({ path: "secret/leak", dryRun: true })));
    const rows = markdown.split("\n").filter((line) => line.startsWith("| "));
    assert.equal(rows.length, 2, "the header and one reader");
    assert.equal(rows[1]!.split(" | ").length, rows[0]!.split(" | ").length, "no extra cell");
    assert.ok(!markdown.includes("<img") && !markdown.includes("\n## z"));
  });
});

describe("the drill's decisions", () => {
  it("counts reads of the data/ path for a path given without it, and no writes or metadata reads", () => {
    const matcher = readMatcher("/secret/ml/prod/db/");
    assert.ok(matcher.matches({ operation: "read", path: "secret/data/ml/prod/db" }));
    assert.ok(matcher.matches({ operation: "read", path: "secret/ml/data/prod/db" }), "a nested mount");
    assert.ok(matcher.matches({ operation: "read", path: "secret/ml/prod/db" }), "KV v1");
    assert.ok(!matcher.matches({ operation: "update", path: "secret/data/ml/prod/db" }));
    assert.ok(!matcher.matches({ operation: "read", path: "secret/metadata/ml/prod/db" }));
    assert.deepEqual([...readMatcher("secret/data/app").paths], ["secret/data/app"]);
  });

  it("reads a response line as Vault 1.15's file device writes it (nanosecond time, mount fields, HMAC-ed data)", () => {
    const h = (n: number) => `hmac-sha256:${String(n).repeat(64).slice(0, 64)}`;
    const line = JSON.stringify({
      time: "2024-05-14T09:12:33.118404512Z",
      type: "response",
      auth: {
        client_token: h(1), accessor: h(2), display_name: "jwt-acme/training", policies: ["default", "ci-read"], token_policies: ["default", "ci-read"],
        metadata: { role: "ci", repository: "acme/training", ref: "refs/heads/main" }, entity_id: "7d2e3f0a", token_type: "service", token_ttl: 600, token_issue_time: "2024-05-14T09:12:30Z",
      },
      request: {
        id: "2f0c", client_id: "7d2e3f0a", operation: "read", mount_point: "secret/", mount_type: "kv", mount_running_version: "v0.17.0+builtin", mount_class: "secret",
        client_token: h(1), client_token_accessor: h(2), namespace: { id: "root" }, path: "secret/data/ml-training/prod/database", remote_address: "10.1.2.3", remote_port: 51234,
      },
      response: { mount_point: "secret/", mount_type: "kv", data: { data: { password: h(3) }, metadata: { version: 4 } } },
    });
    const parsed = parseAuditLine(line);
    assert.equal(parsed.kind, "response");
    if (parsed.kind !== "response") return;
    assert.equal(parsed.entry.timeMs, Date.UTC(2024, 4, 14, 9, 12, 33, 118));
    assert.equal(parsed.entry.accessorHmac, h(2));
    assert.deepEqual(parsed.entry.metadata, { role: "ci", repository: "acme/training", ref: "refs/heads/main" });
    assert.equal(parsed.entry.remoteAddress, "10.1.2.3");
    assert.equal(parseAuditLine(JSON.stringify({ ...JSON.parse(line), type: "request" })).kind, "other");
  });

  it("takes the device whose file is the log, else the only one, else fails naming the devices", () => {
    const devices = [{ path: "file/", type: "file", filePath: "/var/log/vault/a.log" }, { path: "second/", type: "file", filePath: "/var/log/vault/b.log" }];
    assert.equal(chooseDevice(devices, "/var/log/vault/b.log", undefined), "second/");
    assert.equal(chooseDevice(devices.slice(0, 1), "copied.log", undefined), "file/");
    assert.equal(chooseDevice(devices, "copied.log", "/second"), "second/");
    assert.throws(() => chooseDevice(devices, "copied.log", undefined), (error: KeybridgeError) => error.code === "KB_AUDIT_DEVICE_UNKNOWN" && /file\/, second\//.test(error.message));
    assert.throws(() => chooseDevice(devices, "copied.log", "syslog"), /no such audit device/);
  });

  it("reads --since as an RFC 3339 time or an age, and fails on anything else naming it", () => {
    const now = Date.UTC(2026, 11, 6, 12);
    assert.equal(parseSince("2026-12-06T10:00:00Z", now), Date.UTC(2026, 11, 6, 10));
    assert.equal(parseSince("90m", now), now - 90 * 60_000);
    assert.equal(parseSince("2d", now), now - 2 * 86_400_000);
    assert.throws(() => parseSince("yesterday", now), /--since "yesterday" is neither/);
  });
});

describe("the drill on a generated secret", () => {
  it("rotates it now whatever its age, and says so; a dry run writes nothing", async () => {
    const { VaultKvStore } = await import("../../../client/rotation/vault-kv-store.ts");
    const { generatedSecretAt } = await import("../../../client/rotation/generated-secrets.ts");
    const document = {
      version: 1 as const,
      backend: { type: "vault" as const, mount: "secret", authPath: "jwt" },
      issuers: [{ name: "github", url: "https://token.actions.githubusercontent.com" }],
      projects: [{ name: "ml", environments: [{ name: "prod", protected: true }], grants: [], secrets: [
        { name: "webhook", keys: ["signing-key"], rotation: { maxAgeSeconds: 86_400, strategy: "generated" as const, generator: { format: "hex" as const } } },
      ] }],
    };
    await expectOk(test.vault("POST", "secret/data/ml/prod/webhook", { body: { data: { "signing-key": "leaked-value-1f3c" } } }));
    const secret = generatedSecretAt(document, "secret/data/ml/prod/webhook")!;
    assert.equal(generatedSecretAt(document, "secret/data/ml/prod/other"), undefined);
    const store = new VaultKvStore(http, { name: "Vault", url: new URL(test.addr), namespace: undefined, token: test.rootToken, mount: "secret" });
    const admin = new VaultAdmin(http, { url: new URL(test.addr), namespace: undefined, token: test.rootToken });
    const path = "secret/data/ml/prod/webhook";

    const dry = await runDrill(admin, options({ path, dryRun: true, rotation: { store, secret } }));
    assert.deepEqual(dry.rotation, { rotated: false, reason: "generated secret: due ml/prod/webhook (v1; dry run, nothing written)" });
    const result = await runDrill(admin, options({ path, rotation: { store, secret } }));
    assert.deepEqual(result.rotation, { rotated: true, reason: "generated secret: rotated ml/prod/webhook (v1 → v2)" });
    const now = (await expectOk(test.vault("GET", "secret/data/ml/prod/webhook"))).body.data.data["signing-key"];
    assert.match(now, /^[0-9a-f]{32}$/);
    assert.ok(!reportMarkdown(result).includes(now) && !reportJson(result).includes(now), "the new value is not in the report");
  });
});
