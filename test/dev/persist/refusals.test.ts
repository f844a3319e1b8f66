// `--data DIR` refuses to start from a data file that does not authenticate (a wrong key, a changed
// byte, swapped, dropped or replayed records, a snapshot cut short), with one line that names the
// file and the record, and leaves the file as it is; a change cut short by a crash is dropped with
// a note. The key must come from somewhere safe: a 0600 file outside DIR, or the environment.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataDirError } from "../../../dev/persist/errors.ts";
import { parseDevFlags } from "../../../bin/dev-command.ts";
import { expectOk, startTestBackend } from "../../support/dev-backend.ts";
import { readFrames, tempData, writeFrames, type TempData } from "../../support/data-dir.ts";

const cli = fileURLToPath(new URL("../../../bin/keybridge.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");

let data: TempData;

/** A data file with a snapshot and three appended changes: secrets a, b and c. */
async function seed(): Promise<void> {
  const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
  for (const name of ["a", "b", "c"]) await expectOk(test.vault("POST", `secret/data/${name}`, { body: { data: { value: `value-${name}` } } }));
  await test.close();
}

/** The start's refusal: a DataDirError of one line, and the file exactly as it was. */
async function refused(options: { key?: Buffer; keyFile?: string }, pattern: RegExp): Promise<string> {
  const before = await readFile(data.file).catch(() => undefined);
  const error = await startTestBackend({ dataDir: data.dir, ...(options.keyFile ? { dataKeyFile: options.keyFile } : { dataKey: options.key ?? data.key }) }).then(
    async (test) => {
      await test.close();
      return assert.fail("the start was not refused");
    },
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof DataDirError, String(error));
  assert.match(error.message, pattern);
  assert.doesNotMatch(error.message, /\n/);
  assert.ok(!error.message.includes(data.key.toString("base64")));
  assert.deepEqual(await readFile(data.file).catch(() => undefined), before, "a refused start leaves the file as it is");
  return error.message;
}

async function secrets(test: Awaited<ReturnType<typeof startTestBackend>>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of ["a", "b", "c"]) out[name] = (await test.vault("GET", `secret/data/${name}`)).status;
  return out;
}

beforeEach(async () => {
  data = await tempData();
});

afterEach(async () => {
  await data.cleanup();
});

describe("--data: a data file that does not authenticate refuses the start", () => {
  it("refuses a wrong key, naming the file and the first record", async () => {
    await seed();
    const message = await refused({ key: randomBytes(32) }, /vault\.kbd: record 0 does not authenticate: changed on disk or the key is wrong; restore the data directory from a backup, or start with the key it was written with/);
    assert.ok(message.includes(data.file));
    const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    assert.deepEqual(await secrets(test), { a: 200, b: 200, c: 200 }, "the right key still opens it (nothing was overwritten, the lock was released)");
    await test.close();
  });

  it("refuses a changed byte in a record, and a changed header", async () => {
    await seed();
    const parts = await readFrames(data.file);
    assert.ok(parts.frames.length >= 4, `expected a snapshot and 3 changes, got ${parts.frames.length} records`);
    const original = await readFile(data.file);
    parts.frames[2]![20]! ^= 0x01;
    await writeFrames(data.file, parts);
    await refused({}, /record 2 does not authenticate: changed on disk or the key is wrong/);

    const header = Buffer.from(original);
    const at = header.indexOf('"id":"') + 6;
    header[at] = header[at] === 0x61 ? 0x62 : 0x61;
    await writeFile(data.file, header);
    await refused({}, /record 0 does not authenticate: changed on disk or the key is wrong/);
  });

  it("refuses swapped, dropped and replayed records", async () => {
    await seed();
    const original = await readFrames(data.file);
    const [snapshot, first, second, third] = original.frames;
    const variants: Array<[string, Buffer[], RegExp]> = [
      ["swapped", [snapshot!, second!, first!, third!], /record 1 does not authenticate/],
      ["dropped from the middle", [snapshot!, first!, third!], /record 2 does not authenticate/],
      ["replayed at the end", [snapshot!, first!, second!, third!, first!], /record 4 does not authenticate/],
    ];
    for (const [what, frames, pattern] of variants) {
      await writeFrames(data.file, { ...original, frames });
      await refused({}, pattern).catch((error: Error) => assert.fail(`${what}: ${error.message}`));
    }
  });

  it("refuses a record moved in from another data file written with the same key", async () => {
    await seed();
    const mine = await readFrames(data.file);
    const otherData = { ...data, dir: join(data.root, "other"), file: join(data.root, "other", "vault.kbd") };
    const other = await startTestBackend({ dataDir: otherData.dir, dataKey: data.key });
    await expectOk(other.vault("POST", "secret/data/a", { body: { data: { value: "from elsewhere" } } }));
    await other.close();
    const theirs = await readFrames(otherData.file);
    await writeFrames(data.file, { ...mine, frames: [...mine.frames.slice(0, 1), theirs.frames[1]!, ...mine.frames.slice(2)] });
    await refused({}, /record 1 does not authenticate/);
  });

  it("refuses a snapshot cut short and a record length no writer makes", async () => {
    await seed();
    const parts = await readFrames(data.file);
    await writeFrames(data.file, { header: parts.header, frames: [], rest: parts.frames[0]!.subarray(0, 30) });
    await refused({}, /record 0 of the snapshot is cut short: changed on disk or the key is wrong/);
    const huge = Buffer.from(parts.frames[1]!);
    huge.writeUInt32BE(0x7fffffff);
    await writeFrames(data.file, { header: parts.header, frames: [parts.frames[0]!, huge], rest: Buffer.alloc(0) });
    await refused({}, /record 1 has an impossible length: changed on disk or the key is wrong/);
  });

  it("refuses a file that is not a data file", async () => {
    await mkdir(data.dir, { recursive: true });
    await writeFile(data.file, "hello\n");
    await refused({}, /not a keybridge dev data file \(its header is missing or damaged\): changed on disk or the key is wrong/);
  });
});

describe("--data: a change cut short by a crash", () => {
  it("is dropped with a note on stderr; everything acknowledged before it is there, and the file is whole again", async () => {
    await seed();
    const parts = await readFrames(data.file);
    const last = parts.frames.pop()!;
    await writeFrames(data.file, { ...parts, rest: last.subarray(0, Math.floor(last.length / 2)) });
    const warnings: string[] = [];
    const test = await startTestBackend({ dataDir: data.dir, dataKey: data.key, warn: (line) => warnings.push(line) });
    try {
      assert.deepEqual(await secrets(test), { a: 200, b: 200, c: 404 });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /vault\.kbd ends in a change cut short by a crash \(\d+ bytes at offset \d+\); it was never acknowledged and is dropped$/);
      const rewritten = await readFrames(data.file);
      assert.equal(rewritten.rest.length, 0, "the torn bytes are gone");
      await expectOk(test.vault("POST", "secret/data/c", { body: { data: { value: "again" } } }));
    } finally {
      await test.close();
    }
    const again = await startTestBackend({ dataDir: data.dir, dataKey: data.key, warn: (line) => warnings.push(line) });
    assert.deepEqual(await secrets(again), { a: 200, b: 200, c: 200 });
    assert.equal(warnings.length, 1, "no second note");
    await again.close();
  });
});

describe("--data: the key", () => {
  async function keyFile(name: string, mode: number, content = `${data.key.toString("base64")}\n`): Promise<string> {
    const path = join(data.root, name);
    await writeFile(path, content, { mode });
    await chmod(path, mode);
    return path;
  }

  it("takes a 0600 key file outside DIR, in the format openssl rand -base64 32 writes", async () => {
    const path = await keyFile("key", 0o600);
    const test = await startTestBackend({ dataDir: data.dir, dataKeyFile: path });
    await expectOk(test.vault("POST", "secret/data/a", { body: { data: { value: "v" } } }));
    await test.close();
    const reopened = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    assert.equal((await reopened.vault("GET", "secret/data/a")).status, 200, "the file's key and the same key given directly open the same data");
    await reopened.close();
  });

  it("refuses a key file others may read, naming the file and chmod 600", async () => {
    const path = await keyFile("key", 0o644);
    const message = await refused({ keyFile: path }, /has mode 0644, so other users may read or change it: run `chmod 600 /);
    assert.ok(message.includes(path));
  });

  it("refuses a key file inside the data directory, and says to move it out", async () => {
    await mkdir(data.dir, { recursive: true, mode: 0o700 });
    const path = join(data.dir, "key");
    await writeFile(path, data.key.toString("base64"), { mode: 0o600 });
    await refused({ keyFile: path }, /is inside the data directory .*: a key beside the data protects nothing; move it out of /);
  });

  it("refuses a missing key file and one that does not hold 32 bytes, saying how to make one", async () => {
    await refused({ keyFile: join(data.root, "nope") }, /--data-key-file .*nope cannot be read \(ENOENT\): make one with `openssl rand -base64 32 > key && chmod 600 key`/);
    const short = await keyFile("short", 0o600, randomBytes(16).toString("base64"));
    await refused({ keyFile: short }, /must hold 32 random bytes in base64 \(it holds 16\): make one with `openssl rand -base64 32/);
  });

  it("takes the key from KEYBRIDGE_DEV_DATA_KEY, and without any key refuses with how to make one", async () => {
    const saved = process.env.KEYBRIDGE_DEV_DATA_KEY;
    try {
      delete process.env.KEYBRIDGE_DEV_DATA_KEY;
      const error = await startTestBackend({ dataDir: data.dir }).then(
        () => assert.fail("started without a key"),
        (caught: unknown) => caught as Error,
      );
      assert.ok(error instanceof DataDirError);
      assert.match(error.message, /needs a key to encrypt it: make one outside the directory with `openssl rand -base64 32 > key && chmod 600 key` and pass --data-key-file key \(or set KEYBRIDGE_DEV_DATA_KEY to its content\)$/);
      process.env.KEYBRIDGE_DEV_DATA_KEY = data.key.toString("base64");
      const test = await startTestBackend({ dataDir: data.dir });
      await expectOk(test.vault("POST", "secret/data/a", { body: { data: { value: "v" } } }));
      await test.close();
    } finally {
      if (saved === undefined) delete process.env.KEYBRIDGE_DEV_DATA_KEY;
      else process.env.KEYBRIDGE_DEV_DATA_KEY = saved;
    }
  });

  it("asks for --data when only --data-key-file is given", () => {
    assert.throws(() => parseDevFlags(["--data-key-file", "key"]), /--data-key-file is the key of --data DIR: add --data DIR, or drop --data-key-file/);
    assert.deepEqual(
      (({ dataDir, dataKeyFile }) => ({ dataDir, dataKeyFile }))(parseDevFlags(["--data", "d", "--data-key-file", "k"])),
      { dataDir: "d", dataKeyFile: "k" },
    );
  });
});

describe("--data: one backend per directory", () => {
  it("refuses a second backend on a directory in use, and takes over the lock of a process that is gone", async () => {
    const first = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    try {
      await refused({}, new RegExp(`is in use by process ${process.pid}: stop that keybridge dev first`));
    } finally {
      await first.close();
    }
    await writeFile(join(data.dir, "lock"), "999999999\n");
    const second = await startTestBackend({ dataDir: data.dir, dataKey: data.key });
    await second.close();
  });
});

describe("keybridge dev --data (the command)", () => {
  function dev(args: string[], env: Record<string, string> = {}) {
    const { KEYBRIDGE_DEV_DATA_KEY: _unset, ...rest } = process.env;
    return spawnSync(process.execPath, ["--import", tsx, cli, "dev", "--json", ...args], { encoding: "utf8", timeout: 20_000, env: { ...rest, ...env } });
  }

  it("refuses a tampered file with exit 1, one line on stderr naming the file and the record, and nothing served", async () => {
    await seed();
    const parts = await readFrames(data.file);
    parts.frames[1]![10]! ^= 0x80;
    await writeFrames(data.file, parts);
    const result = dev(["--data", data.dir], { KEYBRIDGE_DEV_DATA_KEY: data.key.toString("base64") });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^keybridge dev: KB_DEV_DATA_DIR: \S+vault\.kbd: record 1 does not authenticate: changed on disk or the key is wrong; [^\n]+\n$/);
  });

  it("refuses --data without a key with exit 1 and the line that says how to make one", () => {
    const result = dev(["--data", data.dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^keybridge dev: KB_DEV_DATA_DIR: --data \S+ needs a key to encrypt it: make one outside the directory with `openssl rand -base64 32 > key && chmod 600 key`[^\n]*\n$/);
  });
});
