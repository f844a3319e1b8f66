// node-vault (npm, not written here) on the dev backend's KV v2, the calls rotation relies on:
// check-and-set writes (one of two writers on the same version wins), cas_required, max_versions
// pruning, and version metadata (created_time, deletion_time, destroyed, current_version,
// oldest_version).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { startTestBackend, type TestBackend } from "../support/dev-backend.ts";

const require = createRequire(import.meta.url);
const nodeVault = require("node-vault") as (options: Record<string, unknown>) => any;

let test: TestBackend;
let client: any;

const refusal = (pattern: RegExp) => (error: any) => error.response?.statusCode === 400 && pattern.test(error.message);

before(async () => {
  test = await startTestBackend();
  client = nodeVault({ apiVersion: "v1", endpoint: test.addr, token: test.rootToken });
});

after(() => test.close());

describe("node-vault 0.12 on KV v2", () => {
  it("writes with cas: the first writer on a version wins, the second is refused", async () => {
    const created = await client.write("secret/data/rotation/webhook", { options: { cas: 0 }, data: { key: "one" } });
    assert.equal(created.data.version, 1);
    await assert.rejects(client.write("secret/data/rotation/webhook", { options: { cas: 0 }, data: { key: "late" } }), refusal(/check-and-set parameter did not match the current version/));
    const [won, lost] = await Promise.allSettled([
      client.write("secret/data/rotation/webhook", { options: { cas: 1 }, data: { key: "two" } }),
      client.write("secret/data/rotation/webhook", { options: { cas: 1 }, data: { key: "two'" } }),
    ]);
    assert.deepEqual([won.status, lost.status].sort(), ["fulfilled", "rejected"]);
    assert.equal((await client.read("secret/metadata/rotation/webhook")).data.current_version, 2);
  });

  it("requires cas when the key's metadata says cas_required", async () => {
    await client.write("secret/metadata/rotation/strict", { cas_required: true });
    await assert.rejects(client.write("secret/data/rotation/strict", { data: { key: "x" } }), refusal(/check-and-set parameter required for this call/));
    assert.equal((await client.write("secret/data/rotation/strict", { options: { cas: 0 }, data: { key: "x" } })).data.version, 1);
    assert.equal((await client.read("secret/metadata/rotation/strict")).data.cas_required, true);
  });

  it("keeps max_versions versions, and says which with oldest_version", async () => {
    await client.write("secret/metadata/rotation/short", { max_versions: 2 });
    for (const value of ["a", "b", "c"]) await client.write("secret/data/rotation/short", { data: { key: value } });
    const metadata = (await client.read("secret/metadata/rotation/short")).data;
    assert.deepEqual([metadata.current_version, metadata.oldest_version, metadata.max_versions], [3, 2, 2]);
    assert.deepEqual(Object.keys(metadata.versions).sort(), ["2", "3"]);
    await assert.rejects(client.read("secret/data/rotation/short?version=1"), (error: any) => error.response?.statusCode === 404);
  });

  it("shows each version's created_time, deletion_time and destroyed", async () => {
    await client.write("secret/data/rotation/history", { data: { key: "1" } });
    test.clock.advance(60);
    await client.write("secret/data/rotation/history", { data: { key: "2" } });
    await client.write("secret/data/rotation/history", { data: { key: "3" } });
    await client.write("secret/delete/rotation/history", { versions: [2] });
    await client.write("secret/destroy/rotation/history", { versions: [3] });
    const { versions } = (await client.read("secret/metadata/rotation/history")).data;
    assert.equal(Date.parse(versions["2"].created_time) - Date.parse(versions["1"].created_time), 60_000);
    assert.deepEqual([versions["1"].deletion_time, versions["1"].destroyed], ["", false]);
    assert.notEqual(versions["2"].deletion_time, "");
    assert.equal(versions["3"].destroyed, true);
    const read = await client.read("secret/data/rotation/history?version=1");
    assert.deepEqual([read.data.data, read.data.metadata.version], [{ key: "1" }, 1]);
  });
});
