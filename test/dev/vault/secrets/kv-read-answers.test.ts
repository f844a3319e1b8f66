// A KV v2 version's read answer is kept between reads (its JSON text made once): every change to
// what it shows must still be seen on the very next read.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;
const read = (path: string, version?: number) => test.vault("GET", `secret/data/${path}${version ? `?version=${version}` : ""}`);

/** Reads twice: the second answer is the kept one. */
async function readTwice(path: string): Promise<{ status: number; body: any }> {
  await read(path);
  return read(path);
}

before(async () => {
  test = await startTestBackend();
});

after(() => test.close());

describe("KV v2 read answers kept between reads", () => {
  it("shows a write, a patch and a version asked for on the next read", async () => {
    await expectOk(test.vault("POST", "secret/data/kept/app", { body: { data: { password: "one" } } }));
    assert.deepEqual((await readTwice("kept/app")).body.data.data, { password: "one" });
    await expectOk(test.vault("POST", "secret/data/kept/app", { body: { data: { password: "two" } } }));
    const second = await read("kept/app");
    assert.deepEqual(second.body.data.data, { password: "two" });
    assert.equal(second.body.data.metadata.version, 2);
    await expectOk(test.vault("PATCH", "secret/data/kept/app", { body: { data: { user: "app" } }, headers: { "Content-Type": "application/merge-patch+json" } }));
    assert.deepEqual((await read("kept/app")).body.data.data, { password: "two", user: "app" });
    assert.deepEqual((await read("kept/app", 1)).body.data.data, { password: "one" });
  });

  it("shows new custom metadata on the next read", async () => {
    await expectOk(test.vault("POST", "secret/data/kept/meta", { body: { data: { k: "v" } } }));
    assert.equal((await readTwice("kept/meta")).body.data.metadata.custom_metadata, null);
    await expectOk(test.vault("POST", "secret/metadata/kept/meta", { body: { custom_metadata: { owner: "ml-team" } } }));
    assert.deepEqual((await read("kept/meta")).body.data.metadata.custom_metadata, { owner: "ml-team" });
  });

  it("answers 404 on the next read after a delete or a destroy, and the data again after an undelete", async () => {
    await expectOk(test.vault("POST", "secret/data/kept/gone", { body: { data: { k: "v" } } }));
    assert.equal((await readTwice("kept/gone")).status, 200);
    await expectOk(test.vault("DELETE", "secret/data/kept/gone"));
    const deleted = await read("kept/gone");
    assert.equal(deleted.status, 404);
    assert.notEqual(deleted.body.data.metadata.deletion_time, "");
    await expectOk(test.vault("POST", "secret/undelete/kept/gone", { body: { versions: [1] } }));
    const back = await read("kept/gone");
    assert.equal(back.status, 200);
    assert.equal(back.body.data.metadata.deletion_time, "");
    assert.deepEqual(back.body.data.data, { k: "v" });
    await expectOk(test.vault("POST", "secret/destroy/kept/gone", { body: { versions: [1] } }));
    const destroyed = await read("kept/gone");
    assert.equal(destroyed.status, 404);
    assert.equal(destroyed.body.data.metadata.destroyed, true);
  });

  it("answers 404 once a version's delete_version_after has passed, though it was read before", async () => {
    await expectOk(test.vault("POST", "secret/metadata/kept/short", { body: { delete_version_after: "30s" } }));
    await expectOk(test.vault("POST", "secret/data/kept/short", { body: { data: { k: "v" } } }));
    assert.equal((await readTwice("kept/short")).status, 200);
    test.clock.advance(31);
    assert.equal((await read("kept/short")).status, 404);
  });

  it("answers a kept read with the same bytes as the first one, apart from the request id", async () => {
    await expectOk(test.vault("POST", "secret/data/kept/bytes", { body: { data: { n: 1, nested: { list: ["a", "é"] } } } }));
    const [first, second] = [await read("kept/bytes"), await read("kept/bytes")];
    assert.notEqual(first!.body.request_id, second!.body.request_id);
    assert.equal(second!.text.replace(second!.body.request_id, "ID"), first!.text.replace(first!.body.request_id, "ID"));
    assert.equal(second!.text, `${JSON.stringify(second!.body)}\n`);
  });
});
