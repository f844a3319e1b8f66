import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { errorCodes } from "../../../policy/errors/codes.ts";
import { renderErrorTable } from "../../../policy/errors/code-table.ts";
import { matchSnapshot } from "../../support/snapshot.ts";

describe("docs/ERRORS.md", () => {
  it("fails when the doc no longer matches the code table (regenerate with UPDATE_SNAPSHOTS=1)", () => {
    matchSnapshot(new URL("../../../docs/ERRORS.md", import.meta.url), renderErrorTable());
  });

  it("lists every code with its meaning and fix", () => {
    const table = renderErrorTable();
    const escaped = (text: string) => text.replaceAll("|", "\\|");
    for (const [code, entry] of Object.entries(errorCodes)) {
      assert.ok(table.includes(`| \`${code}\` |`) && table.includes(escaped(entry.meaning)) && table.includes(escaped(entry.fix)), code);
    }
  });

  it("fails when a code does not have the KB_ form", () => {
    for (const code of Object.keys(errorCodes)) assert.match(code, /^KB_[A-Z0-9_]+$/);
  });
});
