import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { jsonStringLeaves, masksFor } from "../../action/masking.ts";

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

describe("masks for JSON values", () => {
  it("masks each string leaf, its lines and its JSON-escaped form, so jq output is hidden", () => {
    const value = JSON.stringify({ user: "svc-deploy", pass: "hunter2-\"q\"", nested: { list: ["tok-1a2b", 42, true, null], pem: "line-one\nline-two" } });
    const masks = masksFor(value);
    for (const leaf of ["svc-deploy", "hunter2-\"q\"", 'hunter2-\\"q\\"', "tok-1a2b", "line-one", "line-two", "line-one\\nline-two"]) assert.ok(masks.includes(leaf), leaf);
    assert.ok(!masks.includes("42") && !masks.includes("true"), "numbers and booleans are not leaves to mask");
    assert.ok(!masks.includes("user") && !masks.includes("pass"), "keys are not secrets");
  });

  it("masks leaves of a string value that holds JSON, and leaves no leaf shorter than the minimum", () => {
    const masks = masksFor('[{"a":"x"},{"b":"yz"}]');
    assert.ok(masks.includes("yz"));
    assert.ok(!masks.includes("x"));
  });

  it("applies the asked encodings to leaves too", () => {
    assert.ok(masksFor('{"pass":"p@ss word"}', ["base64", "url"]).includes(encodeURIComponent("p@ss word")));
  });

  it("leaves non-JSON and too deeply nested values to their own masks", () => {
    assert.deepEqual(jsonStringLeaves("{not json"), []);
    assert.deepEqual(jsonStringLeaves(`${"[".repeat(200_000)}"deep"${"]".repeat(200_000)}`).length <= 1, true);
    assert.deepEqual(jsonStringLeaves("plain text"), []);
  });
});
