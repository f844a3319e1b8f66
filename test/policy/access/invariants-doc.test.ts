import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderInvariantTable } from "../../../policy/access/invariants/table.ts";
import { builtInInvariants } from "../../../policy/access/invariants/rules.ts";
import { ChecksFile } from "../../../policy/access/invariants/declared.ts";
import { parse } from "yaml";
import { matchSnapshot } from "../../support/snapshot.ts";

describe("docs/INVARIANTS.md", () => {
  it("fails when the doc no longer matches the invariants (regenerate with UPDATE_SNAPSHOTS=1)", () => {
    matchSnapshot(new URL("../../../docs/INVARIANTS.md", import.meta.url), renderInvariantTable());
  });

  it("gives every built-in invariant a unique KB2xx ID", () => {
    const ids = builtInInvariants.map((invariant) => invariant.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^KB2\d\d$/);
  });

  it("shows a checks file that the checks schema accepts", () => {
    const example = renderInvariantTable().split("```yaml\n")[1]!.split("```")[0]!;
    assert.ok(ChecksFile.safeParse(parse(example)).success);
  });
});
