// The journal under the stores: what a tracked map saves (set, delete, an entry changed in place
// after get() or during iteration), what it does not (entries kept in memory only, touched but
// unchanged entries), a dropped scope gone for good, concurrent commits sharing one record, and a
// failed write that stops every later commit.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openDataDir, type DataDir } from "../../../dev/persist/open-data-dir.ts";
import { DataDirError } from "../../../dev/persist/errors.ts";
import { plainCodec } from "../../../dev/persist/state-scope.ts";
import { readFrames, tempData, type TempData } from "../../support/data-dir.ts";

interface Entry {
  count: number;
  memoryOnly?: boolean;
}

const codec = plainCodec<Entry>((entry) => !entry.memoryOnly);
const quiet = () => {};

let data: TempData;
let open: DataDir | undefined;

async function reopen(): Promise<DataDir> {
  await open?.close();
  open = await openDataDir(data.dir, data.key, quiet);
  return open;
}

beforeEach(async () => {
  data = await tempData();
  open = undefined;
});

afterEach(async () => {
  await open?.close();
  await data.cleanup();
});

describe("the journal", () => {
  it("saves sets, deletes, and entries changed in place after get() or while iterating", async () => {
    let dir = await reopen();
    assert.equal(dir.journal.scope.restored, false);
    let map = dir.journal.scope.map("entries", codec);
    map.set("a", { count: 1 });
    map.set("b", { count: 1 });
    map.set("c", { count: 1 });
    await dir.journal.commit();
    map.get("a")!.count = 2;
    for (const entry of map.values()) if (entry.count === 1) entry.count = 10;
    map.delete("c");
    await dir.journal.commit();

    dir = await reopen();
    assert.equal(dir.journal.scope.restored, true);
    map = dir.journal.scope.map("entries", codec);
    assert.deepEqual(Object.fromEntries(map), { a: { count: 2 }, b: { count: 10 } });
  });

  it("keeps memory-only entries out of the file, and writes nothing for entries only read", async () => {
    let dir = await reopen();
    let map = dir.journal.scope.map("entries", codec);
    map.set("kept", { count: 1 });
    map.set("memory", { count: 1, memoryOnly: true });
    await dir.journal.commit();
    const records = (await readFrames(data.file)).frames.length;
    map.get("kept");
    [...map.values()];
    await dir.journal.commit();
    assert.equal((await readFrames(data.file)).frames.length, records, "a read-only commit appends nothing");

    dir = await reopen();
    map = dir.journal.scope.map("entries", codec);
    assert.deepEqual([...map.keys()], ["kept"]);
  });

  it("forgets a dropped scope and everything in its children", async () => {
    let dir = await reopen();
    const mount = dir.journal.scope.child("mount:1");
    mount.map("keys", codec).set("x", { count: 1 });
    mount.child("role:a").map("ids", codec).set("y", { count: 1 });
    dir.journal.scope.child("mount:2").map("keys", codec).set("z", { count: 1 });
    await dir.journal.commit();
    assert.equal(dir.journal.stats().records, 3);
    mount.drop();
    await dir.journal.commit();

    dir = await reopen();
    assert.equal(dir.journal.stats().records, 1);
    assert.equal(dir.journal.scope.child("mount:1").map("keys", codec).size, 0);
    assert.equal(dir.journal.scope.child("mount:1").child("role:a").map("ids", codec).size, 0);
    assert.equal(dir.journal.scope.child("mount:2").map("keys", codec).get("z")?.count, 1);
  });

  it("writes the changes of concurrent commits together: one record while one is being written, one for all that waited", async () => {
    const dir = await reopen();
    const map = dir.journal.scope.map("entries", codec);
    await dir.journal.commit();
    const before = (await readFrames(data.file)).frames.length;
    map.set("first", { count: 0 });
    const commits: Promise<void>[] = [dir.journal.commit()];
    await new Promise((resolve) => setImmediate(resolve));
    for (let index = 0; index < 100; index++) {
      map.set(`k${index}`, { count: index });
      commits.push(dir.journal.commit());
    }
    await Promise.all(commits);
    assert.equal((await readFrames(data.file)).frames.length - before, 2);
    const reopened = await reopen();
    assert.equal(reopened.journal.scope.map("entries", codec).size, 101);
  });

  it("stops taking commits after a failed write, with one line that says what to do", async () => {
    const dir = await reopen();
    // The first commit writes the file under a temporary name: a directory there makes it fail.
    await mkdir(join(data.dir, "vault.kbd.tmp"));
    dir.journal.scope.map("entries", codec).set("a", { count: 1 });
    const failure = await dir.journal.commit().then(() => assert.fail("the write did not fail"), (error: unknown) => error);
    assert.ok(failure instanceof DataDirError);
    assert.match(failure.message, /^writing \S+vault\.kbd failed \(EISDIR\): the change was not saved and keybridge dev takes no more requests to the Vault API; fix the cause \(disk space, permissions\) and restart it$/);
    await assert.rejects(dir.journal.commit(), (error) => error === failure);
  });
});
