// What `--data DIR` puts on disk: nothing readable (no secret value, token, secret ID, database
// password, path or key, in plain text or base64), private modes; concurrent writes that all come
// back after a restart; and a file that stays bounded (rewritten as a snapshot) under many writes.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { configureGithubJwt, expectOk, startTestBackend, type TestBackend } from "../../support/dev-backend.ts";
import { readFrames, tempData, type TempData } from "../../support/data-dir.ts";

const canary = (what: string): string => `canary-${what}-${randomBytes(6).toString("hex")}`;

describe("--data: the files in DIR", () => {
  let data: TempData;
  const secrets: string[] = [];

  before(async () => {
    data = await tempData();
    const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key, rootToken: canary("root") });
    const kv2 = canary("kv2");
    const kv1 = canary("kv1");
    const dbPassword = canary("dbpw");
    const path = canary("path");
    secrets.push(kv2, kv1, dbPassword, path, test.rootToken);
    await expectOk(test.vault("POST", `secret/data/${path}`, { body: { data: { password: kv2 } } }));
    await expectOk(test.vault("POST", "sys/mounts/kv1", { body: { type: "kv", options: { version: "1" } } }));
    await expectOk(test.vault("POST", "kv1/cfg", { body: { token: kv1 } }));
    await expectOk(test.vault("POST", "sys/mounts/database", { body: { type: "database" } }));
    await expectOk(test.vault("POST", "database/config/pg", { body: { plugin_name: "postgresql-database-plugin", connection_url: "postgresql://{{username}}:{{password}}@db/x", username: "admin", password: dbPassword, allowed_roles: ["*"] } }));
    await expectOk(test.vault("POST", "sys/auth/approle", { body: { type: "approle" } }));
    await expectOk(test.vault("POST", "auth/approle/role/ci", { body: { token_policies: "default" } }));
    secrets.push((await expectOk(test.vault("POST", "auth/approle/role/ci/secret-id"))).body.data.secret_id);
    secrets.push((await expectOk(test.vault("POST", "auth/token/create", { body: { policies: ["default"] } }))).body.auth.client_token);
    await configureGithubJwt(test);
    await expectOk(test.vault("POST", "auth/jwt/role/ci", { body: { role_type: "jwt", user_claim: "repository", bound_audiences: ["kb"], token_policies: ["default"] } }));
    const jwt = await test.githubToken({ repository: "acme/app" }, "kb");
    secrets.push((await expectOk(test.vault("POST", "auth/jwt/login", { body: { role: "ci", jwt }, headers: { "X-Vault-Token": "" } }))).body.auth.client_token);
    await test.close();
  });

  after(async () => {
    await data.cleanup();
  });

  it("holds no secret value, token, secret ID, password or path, in plain text or base64, and not the key", async () => {
    const names = await readdir(data.dir);
    assert.deepEqual(names.sort(), ["vault.kbd"], "the lock is gone after a clean stop, and no temporary file is left");
    const bytes = await readFile(data.file);
    const needles = [...secrets, ...secrets.map((value) => Buffer.from(value).toString("base64")), data.key.toString("base64"), data.key.toString("hex")];
    for (const needle of needles) assert.ok(!bytes.includes(needle), `${needle.slice(0, 14)}… is in the data file`);
    assert.ok(!bytes.includes(data.key), "the raw key is in the data file");
    // What is readable is the header only: what the file is, not what it holds.
    const text = bytes.toString("latin1");
    assert.match(text, /^keybridge-dev-data\n\{"format":2,"file":"vault\.kbd","id":"[0-9a-f]{32}","snapshot":\d+,"written":"[^"]+"\}\n/);
  });

  it("is private: DIR 0700, the file 0600", async () => {
    assert.equal((await stat(data.dir)).mode & 0o777, 0o700);
    assert.equal((await stat(data.file)).mode & 0o777, 0o600);
  });
});

describe("--data: concurrent writes and a growing file", () => {
  let data: TempData;
  let test: TestBackend;

  before(async () => {
    data = await tempData();
    test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
  });

  after(async () => {
    await test.close();
    await data.cleanup();
  });

  async function restart(): Promise<void> {
    await test.close();
    test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
  }

  it("loses none of many concurrent writes: distinct keys, and versions of one key", async () => {
    const distinct = Array.from({ length: 64 }, (_, index) => ({ key: `c/${index}`, value: canary(`c${index}`) }));
    const replies = await Promise.all([
      ...distinct.map(({ key, value }) => test.vault("POST", `secret/data/${key}`, { body: { data: { value } } })),
      ...Array.from({ length: 24 }, (_, index) => test.vault("POST", "secret/data/same", { body: { data: { n: index } } })),
    ]);
    assert.deepEqual(new Set(replies.map((reply) => reply.status)), new Set([200]));
    await restart();
    for (const { key, value } of distinct) {
      assert.deepEqual((await expectOk(test.vault("GET", `secret/data/${key}`))).body.data.data, { value });
    }
    const meta = (await expectOk(test.vault("GET", "secret/metadata/same"))).body.data;
    assert.equal(meta.current_version, 24);
    assert.deepEqual(Object.keys(meta.versions).map(Number), Array.from({ length: 10 }, (_, index) => 15 + index), "the last 10 versions, contiguous");
  });

  it("rewrites the file as a snapshot when the changes outgrow it, and reads it all back", async () => {
    const big = "x".repeat(8 * 1024);
    for (let index = 0; index < 200; index++) {
      await expectOk(test.vault("POST", `secret/data/big/${index}`, { body: { data: { value: `${index}:${big}` } } }));
    }
    const parts = await readFrames(data.file);
    assert.ok(parts.frames.length < 200, `${parts.frames.length} records for 200 writes: the file was never rewritten`);
    await restart();
    for (let index = 0; index < 200; index += 17) {
      assert.equal((await expectOk(test.vault("GET", `secret/data/big/${index}`))).body.data.data.value, `${index}:${big}`);
    }
    assert.equal((await expectOk(test.vault("LIST", "secret/metadata/big"))).body.data.keys.length, 200);
  });
});
