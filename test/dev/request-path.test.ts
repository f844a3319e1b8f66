// cleanPath: Go's path.Clean with ServeMux's trailing slash, for clean paths (answered as they
// are, without being split) and for every kind of unclean one.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cleanPath } from "../../dev/request-path.ts";

describe("cleanPath", () => {
  it("gives a clean path back as it is, a trailing slash and a '...' segment included", () => {
    for (const path of ["/", "/v1/secret/data/app", "/v1/secret/metadata/", "/...", "/a/.../", "/a/.b/c.", "/a/..b"]) {
      assert.equal(cleanPath(path), path);
    }
  });

  it("drops empty and '.' segments, resolves '..', keeps a trailing slash and adds a leading one", () => {
    const cases: [string, string][] = [
      ["/a//b", "/a/b"], ["/a/./b", "/a/b"], ["/a/../b", "/b"], ["/a/.", "/a"], ["/a/..", "/"], ["//", "/"],
      ["/./", "/"], ["a/b", "/a/b"], ["/a/b//", "/a/b/"], ["/../a", "/a"], ["", "/"],
    ];
    for (const [path, clean] of cases) assert.equal(cleanPath(path), clean, path);
  });
});
