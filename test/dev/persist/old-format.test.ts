// Data files written before the frame checksum (format 1) still open when they end at a record
// boundary, and are rewritten in the current format at once; one that seems to end in a cut-short
// record is refused with the line that says how to go on, since format 1 cannot tell a crash from damage.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { dataFormat, parseFile } from "../../../dev/persist/data-file.ts";
import { RecordCipher } from "../../../dev/persist/record-cipher.ts";
import { DataDirError } from "../../../dev/persist/errors.ts";
import { expectOk, startTestBackend } from "../../support/dev-backend.ts";
import { tempData, type TempData } from "../../support/data-dir.ts";

let data: TempData;
let formatOne: Buffer;

/** The same records, framed as format 1 wrote them: a 4-byte length, then the sealed batch. */
function asFormatOne(current: Buffer, cipher: RecordCipher): Buffer {
  const parsed = parseFile(current, cipher, data.file, "vault.kbd");
  const [magic = "", fields = ""] = parsed.header.toString("utf8").split("\n");
  const header = Buffer.from(`${magic}\n${JSON.stringify({ ...JSON.parse(fields), format: 1 })}\n`);
  const frames = parsed.records.map((plaintext, index) => {
    const sealed = cipher.seal(plaintext, Buffer.concat([header, Buffer.from(`record ${index}`)]));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    return Buffer.concat([length, sealed]);
  });
  return Buffer.concat([header, ...frames]);
}

before(async () => {
  data = await tempData();
  const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
  await expectOk(test.vault("POST", "secret/data/app", { body: { data: { v: "kept" } } }));
  await test.close();
  formatOne = asFormatOne(await readFile(data.file), new RecordCipher(data.key));
});

after(() => data.cleanup());

describe("a format 1 data file", () => {
  it("opens with everything it holds and is rewritten in the current format", async () => {
    await writeFile(data.file, formatOne);
    const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    try {
      assert.deepEqual((await expectOk(test.vault("GET", "secret/data/app"))).body.data.data, { v: "kept" });
    } finally {
      await test.close();
    }
    const rewritten = parseFile(await readFile(data.file), new RecordCipher(data.key), data.file, "vault.kbd");
    assert.equal(rewritten.format, dataFormat);
  });

  it("fails when its last record runs past the end: one line that says where to cut", async () => {
    await writeFile(data.file, formatOne.subarray(0, formatOne.length - 5));
    await assert.rejects(startTestBackend({ dataDir: data.dir, dataKey: data.key }), (error: unknown) => {
      assert.ok(error instanceof DataDirError);
      assert.doesNotMatch(error.message, /\n/);
      assert.match(error.message, /written in data format 1, whose last record runs past the end of the file at byte \d+; .*truncate -s \d+ FILE/);
      return true;
    });
  });
});
