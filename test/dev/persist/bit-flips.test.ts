// Every bit of a small data file flipped, one at a time (issue 16): the file either opens with every
// acknowledged record exactly as written, or is refused with one line naming the file and the byte
// offset. A flipped length is never taken for a change cut short by a crash, so no acknowledged
// write is silently dropped and no destroyed version comes back.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { parseFile, splitFrames } from "../../../dev/persist/data-file.ts";
import { RecordCipher } from "../../../dev/persist/record-cipher.ts";
import { DataDirError } from "../../../dev/persist/errors.ts";
import { expectOk, startTestBackend } from "../../support/dev-backend.ts";
import { tempData, type TempData } from "../../support/data-dir.ts";

let data: TempData;
let original: Buffer;

before(async () => {
  data = await tempData();
  const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
  await expectOk(test.vault("POST", "secret/data/app", { body: { data: { v: "one" } } }));
  await expectOk(test.vault("POST", "secret/data/app", { body: { data: { v: "two" } } }));
  await expectOk(test.vault("POST", "secret/destroy/app", { body: { versions: [1] } }));
  await expectOk(test.vault("POST", "secret/data/other", { body: { data: { v: "three" } } }));
  await test.close();
  original = await readFile(data.file);
});

after(() => data.cleanup());

describe("a data file with one bit flipped", () => {
  it("opens with every acknowledged record or is refused with one line naming the file and the offset", () => {
    const cipher = new RecordCipher(data.key);
    const expected = parseFile(original, cipher, data.file, "vault.kbd");
    assert.equal(expected.torn, undefined);
    assert.ok(expected.records.length >= 4, `a snapshot and the appended changes, got ${expected.records.length} records`);
    let refusals = 0;
    for (let bit = 0; bit < original.length * 8; bit++) {
      const flipped = Buffer.from(original);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      let parsed;
      try {
        parsed = parseFile(flipped, cipher, data.file, "vault.kbd");
      } catch (error) {
        assert.ok(error instanceof DataDirError, `bit ${bit}: ${String(error)}`);
        assert.doesNotMatch(error.message, /\n/);
        assert.ok(error.message.startsWith(`${data.file}: `), `bit ${bit}: ${error.message}`);
        assert.match(error.message, /at byte \d+/);
        refusals++;
        continue;
      }
      assert.equal(parsed.torn, undefined, `bit ${bit} was taken for a torn tail`);
      assert.deepEqual(parsed.records, expected.records, `bit ${bit} changed what was loaded`);
    }
    assert.equal(refusals, original.length * 8, "every flip lands in authenticated or checksummed bytes");
  });

  it("refuses the start when the high byte of the last record's length is flipped (the issue's case)", async () => {
    const { header, frames } = splitFrames(original);
    const lastOffset = header.length + frames.slice(0, -1).reduce((sum, frame) => sum + frame.length, 0);
    const flipped = Buffer.from(original);
    flipped[lastOffset]! ^= 0x01;
    await writeFile(data.file, flipped);
    try {
      await assert.rejects(startTestBackend({ dataDir: data.dir, dataKey: data.key }), (error: unknown) => {
        assert.ok(error instanceof DataDirError);
        assert.match(error.message, new RegExp(`record \\d+ has an impossible length: .*\\(its length checksum fails, damage found at byte ${lastOffset}\\)$`));
        return true;
      });
      assert.deepEqual(await readFile(data.file), flipped, "the file is left as it is");
    } finally {
      await writeFile(data.file, original);
    }
    const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    try {
      assert.deepEqual((await expectOk(test.vault("GET", "secret/data/other"))).body.data.data, { v: "three" });
      const meta = (await expectOk(test.vault("GET", "secret/metadata/app"))).body.data;
      assert.equal(meta.versions["1"].destroyed, true, "a destroyed version stays destroyed");
      assert.equal((await test.vault("GET", "secret/data/app?version=1")).body.data?.data ?? null, null);
    } finally {
      await test.close();
    }
  });
});
