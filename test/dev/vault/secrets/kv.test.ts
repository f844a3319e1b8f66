// The key/value engines: KV v2 versions, check-and-set, soft deletion (404 with metadata), destroy,
// pruning, patch, listing and metadata; KV v1 flat secrets; mount discovery as the CLI does it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
const write = (path: string, data: Record<string, unknown>, options?: Record<string, unknown>) =>
  test.vault("POST", `secret/data/${path}`, { body: { data, ...(options ? { options } : {}) } });
const read = (path: string, version?: number) => test.vault("GET", `secret/data/${path}${version ? `?version=${version}` : ""}`);

before(async () => {
  test = await startTestBackend();
});

after(() => test.close());

describe("KV v2 (secret/ is pre-mounted as in vault server -dev)", () => {
  it("keeps every version and reads the latest or the one asked for", async () => {
    const first = await expectOk(write("app/db", { password: "one" }));
    assert.equal(first.body.data.version, 1);
    assert.equal(first.body.data.destroyed, false);
    assert.equal(first.body.data.deletion_time, "");
    await expectOk(write("app/db", { password: "two" }));
    const latest = await read("app/db");
    assert.equal(latest.status, 200);
    assert.deepEqual(latest.body.data.data, { password: "two" });
    assert.equal(latest.body.data.metadata.version, 2);
    assert.equal(latest.body.mount_type, "kv");
    assert.deepEqual((await read("app/db", 1)).body.data.data, { password: "one" });
    assert.deepEqual(await read("app/db", 9).then((reply) => [reply.status, reply.body]), [404, { errors: [] }]);
  });

  it("answers 404 with an empty error list for a secret never written", async () => {
    const reply = await read("never/written");
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, { errors: [] });
  });

  it("checks cas against the current version, and requires it when cas_required is set", async () => {
    await expectOk(write("cas/key", { v: "1" }));
    const stale = await write("cas/key", { v: "x" }, { cas: 0 });
    assert.equal(stale.status, 400);
    assert.deepEqual(stale.body.errors, ["check-and-set parameter did not match the current version"]);
    assert.equal((await write("cas/key", { v: "2" }, { cas: 1 })).status, 200);
    await expectOk(test.vault("POST", "secret/metadata/cas/key", { body: { cas_required: true } }));
    assert.deepEqual((await write("cas/key", { v: "3" })).body.errors, ["check-and-set parameter required for this call"]);
    assert.deepEqual((await write("cas/new", {}, { cas: 0 })).status, 200, "cas 0 creates a key that does not exist");
  });

  it("soft-deletes the latest version: 404 that still carries the metadata, until undeleted", async () => {
    await expectOk(write("soft/key", { v: "1" }));
    assert.equal((await test.vault("DELETE", "secret/data/soft/key")).status, 204);
    const gone = await read("soft/key");
    assert.equal(gone.status, 404);
    assert.equal(gone.body.data.data, null);
    assert.equal(gone.body.data.metadata.version, 1);
    assert.notEqual(gone.body.data.metadata.deletion_time, "");
    assert.equal((await test.vault("POST", "secret/undelete/soft/key", { body: { versions: [1] } })).status, 204);
    assert.deepEqual((await read("soft/key")).body.data.data, { v: "1" });
  });

  it("destroys versions for good", async () => {
    await expectOk(write("destroy/key", { v: "1" }));
    await expectOk(write("destroy/key", { v: "2" }));
    assert.equal((await test.vault("POST", "secret/destroy/destroy/key", { body: { versions: [1] } })).status, 204);
    const destroyed = await read("destroy/key", 1);
    assert.equal(destroyed.status, 404);
    assert.equal(destroyed.body.data.metadata.destroyed, true);
    await test.vault("POST", "secret/undelete/destroy/key", { body: { versions: [1] } });
    assert.equal((await read("destroy/key", 1)).status, 404, "a destroyed version cannot be undeleted");
    assert.equal((await read("destroy/key")).status, 200, "other versions stay");
    assert.deepEqual((await test.vault("POST", "secret/destroy/destroy/key", { body: {} })).body.errors, ["no version number provided"]);
  });

  it("deletes chosen versions with delete/", async () => {
    await expectOk(write("many/key", { v: "1" }));
    await expectOk(write("many/key", { v: "2" }));
    await expectOk(test.vault("POST", "secret/delete/many/key", { body: { versions: [1] } }));
    assert.equal((await read("many/key", 1)).status, 404);
    assert.equal((await read("many/key", 2)).status, 200);
  });

  it("prunes versions past max_versions", async () => {
    await expectOk(test.vault("POST", "secret/metadata/pruned", { body: { max_versions: 2 } }));
    for (const v of ["1", "2", "3", "4"]) await expectOk(write("pruned", { v }));
    const meta = (await test.vault("GET", "secret/metadata/pruned")).body.data;
    assert.deepEqual(Object.keys(meta.versions), ["3", "4"]);
    assert.equal(meta.oldest_version, 3);
    assert.equal(meta.current_version, 4);
    assert.equal((await read("pruned", 1)).status, 404);
  });

  it("applies the mount's config max_versions (10 by default)", async () => {
    assert.equal((await test.vault("GET", "secret/config")).body.data.max_versions, 0);
    for (let v = 1; v <= 11; v++) await expectOk(write("tenfold", { v }));
    assert.equal((await test.vault("GET", "secret/metadata/tenfold")).body.data.oldest_version, 2);
  });

  it("returns custom_metadata with every read, and full metadata on metadata/", async () => {
    await expectOk(write("meta/key", { v: "1" }));
    await expectOk(test.vault("POST", "secret/metadata/meta/key", { body: { custom_metadata: { owner: "ml-team" } } }));
    assert.deepEqual((await read("meta/key")).body.data.metadata.custom_metadata, { owner: "ml-team" });
    const meta = (await test.vault("GET", "secret/metadata/meta/key")).body.data;
    assert.equal(meta.current_version, 1);
    assert.equal(meta.delete_version_after, "0s");
    assert.deepEqual(Object.keys(meta.versions["1"]).sort(), ["created_time", "deletion_time", "destroyed"]);
  });

  it("lists names under a prefix, folders ending in /, with LIST or ?list=true; nothing is 404", async () => {
    await expectOk(write("list/a", { v: 1 }));
    await expectOk(write("list/b/c", { v: 1 }));
    const listed = await test.vault("LIST", "secret/metadata/list");
    assert.deepEqual(listed.body.data.keys, ["a", "b/"]);
    const viaQuery = await test.vault("GET", "secret/metadata/list/?list=true");
    assert.deepEqual(viaQuery.body.data.keys, ["a", "b/"]);
    const empty = await test.vault("LIST", "secret/metadata/nothing-here");
    assert.deepEqual([empty.status, empty.body], [404, { errors: [] }]);
  });

  it("patches with a JSON merge patch, and insists on its content type", async () => {
    await expectOk(write("patch/key", { keep: "k", change: "old", drop: "d" }));
    const wrongType = await test.vault("PATCH", "secret/data/patch/key", { body: { data: { change: "new" } } });
    assert.equal(wrongType.status, 415);
    assert.deepEqual(wrongType.body.errors, ["PATCH requires Content-Type of application/merge-patch+json, provided application/json"]);
    const patched = await test.vault("PATCH", "secret/data/patch/key", {
      body: { data: { change: "new", drop: null } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.data.version, 2);
    assert.deepEqual((await read("patch/key")).body.data.data, { keep: "k", change: "new" });
    const missing = await test.vault("PATCH", "secret/data/patch/none", {
      body: { data: {} },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    assert.equal(missing.status, 404);
  });

  it("deletes a key with all its versions through metadata/", async () => {
    await expectOk(write("wipe/key", { v: 1 }));
    assert.equal((await test.vault("DELETE", "secret/metadata/wipe/key")).status, 204);
    assert.deepEqual((await read("wipe/key")).body, { errors: [] });
  });

  it("deletes versions on schedule with delete_version_after, on the test clock", async () => {
    await expectOk(test.vault("POST", "secret/metadata/expiring", { body: { delete_version_after: "1h" } }));
    await expectOk(write("expiring", { v: 1 }));
    assert.equal((await read("expiring")).status, 200);
    test.clock.advance(3600);
    assert.equal((await read("expiring")).status, 404);
  });

  it("refuses writes to a path ending in / and writes without data", async () => {
    assert.deepEqual((await write("folder/", { v: 1 })).body.errors, ["cannot write to a path ending in '/'"]);
    assert.deepEqual((await test.vault("POST", "secret/data/nodata", { body: {} })).body.errors, ["no data provided"]);
  });
});

describe("KV v1", () => {
  before(async () => {
    await expectOk(test.vault("POST", "sys/mounts/kv", { body: { type: "kv", options: { version: "1" } } }));
  });

  it("stores flat data, with ttl as an advisory lease_duration", async () => {
    assert.equal((await test.vault("PUT", "kv/ci/token", { body: { value: "t", ttl: "1h" } })).status, 204);
    const reply = await test.vault("GET", "kv/ci/token");
    assert.deepEqual(reply.body.data, { value: "t", ttl: "1h" });
    assert.equal(reply.body.lease_duration, 3600);
  });

  it("lists and deletes", async () => {
    await expectOk(test.vault("PUT", "kv/ci/other", { body: { value: "o" } }));
    assert.deepEqual((await test.vault("LIST", "kv/ci")).body.data.keys, ["other", "token"]);
    assert.equal((await test.vault("DELETE", "kv/ci/other")).status, 204);
    assert.equal((await test.vault("GET", "kv/ci/other")).status, 404);
  });
});

describe("mounts", () => {
  it("tells the engine and KV version of a path as the CLI asks for it", async () => {
    const v2 = (await test.vault("GET", "sys/internal/ui/mounts/secret/data/app")).body.data;
    assert.deepEqual([v2.path, v2.type, v2.options.version], ["secret/", "kv", "2"]);
    const v1 = (await test.vault("GET", "sys/internal/ui/mounts/kv/ci")).body.data;
    assert.deepEqual([v1.path, v1.options.version], ["kv/", "1"]);
    assert.equal((await test.vault("GET", "sys/internal/ui/mounts/nowhere/x")).status, 404);
  });

  it("refuses a mount path that is taken, in Vault's words", async () => {
    const again = await test.vault("POST", "sys/mounts/secret", { body: { type: "kv", options: { version: "2" } } });
    assert.deepEqual([again.status, again.body.errors], [400, ["path is already in use at secret/"]]);
    const nested = await test.vault("POST", "sys/mounts/secret/inner", { body: { type: "kv" } });
    assert.deepEqual(nested.body.errors, ["path is already in use at secret/"]);
    // pki has an engine now; transit is still a plugin keybridge dev lacks.
    assert.deepEqual((await test.vault("POST", "sys/mounts/x", { body: { type: "transit" } })).body.errors, [
      "plugin not found in the catalog: transit",
    ]);
  });

  it("lists, enables and disables engines and auth methods", async () => {
    await expectOk(test.vault("POST", "sys/mounts/temp", { body: { type: "kv-v2" } }));
    const mounts = (await test.vault("GET", "sys/mounts")).body.data;
    assert.deepEqual(mounts["temp/"].options, { version: "2" });
    assert.equal((await test.vault("DELETE", "sys/mounts/temp")).status, 204);
    assert.equal((await test.vault("GET", "sys/mounts")).body.data["temp/"], undefined);
    await expectOk(test.vault("POST", "sys/auth/gh", { body: { type: "jwt" } }));
    assert.deepEqual((await test.vault("POST", "sys/auth/gh", { body: { type: "jwt" } })).body.errors, ["path is already in use at gh/"]);
    const auths = (await test.vault("GET", "sys/auth")).body.data;
    assert.equal(auths["gh/"].type, "jwt");
    assert.equal(auths["token/"].type, "token");
    assert.equal((await test.vault("DELETE", "sys/auth/gh")).status, 204);
  });
});
