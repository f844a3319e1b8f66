import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { masksFor } from "../../action/masking.ts";

describe("masks for a value", () => {
  it("masks the whole value and each line, never one-character lines", () => {
    const pem = "-----BEGIN KEY-----\r\nAAAA\nBB\n}\n-----END KEY-----";
    const masks = masksFor(pem);
    assert.ok(masks.includes(pem));
    for (const line of ["-----BEGIN KEY-----", "AAAA", "BB", "-----END KEY-----"]) assert.ok(masks.includes(line), line);
    assert.ok(!masks.includes("}"), "a one-character line would blank that character everywhere");
    assert.ok(!masks.some((mask) => mask.endsWith("\r") && mask !== pem), "the CR of CRLF lines is not part of a line mask");
  });

  it("masks indented lines also without their indentation", () => {
    assert.ok(masksFor('{\n  "key": "v4lue"\n}').includes('"key": "v4lue"'));
  });

  it("adds the encoded forms asked for", () => {
    const value = "p@ss w/rd+\"x\"";
    const masks = masksFor(value, ["base64", "base64url", "url", "json"]);
    for (const encoded of [
      Buffer.from(value).toString("base64"),
      Buffer.from(value).toString("base64url"),
      encodeURIComponent(value),
      'p@ss w/rd+\\"x\\"',
    ]) assert.ok(masks.includes(encoded), encoded);
  });

  it("orders masks longest first, so a mask holding another is replaced whole", () => {
    const masks = masksFor("abcdef\nabc");
    assert.deepEqual(masks, [...masks].sort((a, b) => b.length - a.length));
  });
});

describe("masks for values with carriage returns and tiny values", () => {
  it("ends a line at a lone CR too, as the runner does", () => {
    const masks = masksFor("progress 10%\rprogress 50%\rdone-7c1e");
    for (const line of ["progress 10%", "progress 50%", "done-7c1e"]) assert.ok(masks.includes(line), line);
  });

  it("registers no encoded form of a value too short to mask", () => {
    assert.deepEqual(masksFor("%", ["base64", "url", "json"]), []);
    assert.deepEqual(masksFor(" ", ["base64"]), []);
  });
});
