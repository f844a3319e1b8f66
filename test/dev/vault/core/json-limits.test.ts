// Deeply nested JSON at the input boundary (issue 16): refused with 400 and one line before
// anything is stored, in memory and with a data directory; the path stays readable, never a 500.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectOk, startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";
import { tempData, type TempData } from "../../../support/data-dir.ts";
import { jsonDepth, maxJsonDepth } from "../../../../dev/json-input.ts";
import { maxBodyBytes } from "../../../../dev/http-io.ts";

function nested(levels: number): string {
  return `${"[".repeat(levels)}"x"${"]".repeat(levels)}`;
}

async function rawWrite(test: TestBackend, path: string, body: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${test.addr}/v1/${path}`, {
    method: "POST",
    headers: { "X-Vault-Token": test.rootToken, "Content-Type": "application/json" },
    body,
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

for (const mode of ["in memory", "with --data"] as const) {
  describe(`JSON depth limit ${mode}`, () => {
    let test: TestBackend;
    let data: TempData | undefined;
    before(async () => {
      data = mode === "with --data" ? await tempData() : undefined;
      test = await startTestBackend(data ? { dataDir: data.dir, dataKey: data.key } : {});
    });
    after(async () => {
      await test.close();
      await data?.cleanup();
    });

    it("fails when a KV write nests 200,000 levels: 400, one line, nothing stored", async () => {
      const reply = await rawWrite(test, "secret/data/deep", `{"data":{"v":${nested(200_000)}}}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.body.errors.length, 1);
      assert.match(reply.body.errors[0], /^failed to parse JSON input: JSON input nested deeper than 500 levels/);
      assert.doesNotMatch(reply.body.errors[0], /\n/);
      assert.equal((await test.vault("GET", "secret/data/deep")).status, 404);
      assert.equal((await test.vault("LIST", "secret/metadata")).status, 404);
    });

    it("keeps a write just inside the limit readable", async () => {
      // The body's own object and "data" take two levels.
      const value = JSON.parse(nested(maxJsonDepth - 2));
      await expectOk(test.vault("POST", "secret/data/deep-ok", { body: { data: { v: value } } }));
      assert.deepEqual((await expectOk(test.vault("GET", "secret/data/deep-ok"))).body.data.data.v, value);
    });

    it("fails when a body is past the size limit: one line, nothing stored", async () => {
      const reply = await rawWrite(test, "secret/data/big", JSON.stringify({ data: { v: "x".repeat(maxBodyBytes) } }));
      assert.equal(reply.status, 413);
      assert.equal(reply.body.errors.length, 1);
      assert.equal((await test.vault("GET", "secret/data/big")).status, 404);
    });

    it("refuses deep JSON in any other request body too", async () => {
      const reply = await rawWrite(test, "sys/policies/acl/deep", `{"policy":"x","extra":${nested(1_000)}}`);
      assert.equal(reply.status, 400);
    });
  });
}

describe("jsonDepth", () => {
  it("counts only brackets outside strings", () => {
    assert.equal(jsonDepth('{"a":"[[[[\\"]]]","b":[1,{"c":2}]}'), 3);
    assert.equal(jsonDepth("7"), 0);
  });
});
