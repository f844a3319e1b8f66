import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, renderSummary, type FetchSummary } from "../../action/summary.ts";
import type { SelectedSecret } from "../../client/select-secrets.ts";

const summary: FetchSummary = {
  backend: "Vault",
  url: "https://vault.internal:8200",
  role: "ci-prod",
  ttlSeconds: 600,
  willRevoke: true,
  secrets: [
    { envName: "DB_USER", outputName: "db_user", value: "the-user-value", path: "database/creds/ci", key: "username", nameFrom: "workflow" },
    { envName: "ODD", outputName: "odd", value: "the-odd-value", path: "secret/data/a|b", key: "k`ey", nameFrom: "workflow" },
  ],
  targets: ["env", "dotenv file"],
  leases: new Map([["database/creds/ci", { id: "database/creds/ci/x", durationSeconds: 3600, renewable: true }]]),
  skippedPaths: [],
};

function summaryFor(key: string, path = "secret/data/app"): string {
  const secret: SelectedSecret = { envName: "SAFE", outputName: "SAFE", value: "never-shown-9f3", path, key, nameFrom: "workflow" };
  return renderSummary({ backend: "Vault", url: "https://vault.internal", role: "ci", ttlSeconds: 3600, willRevoke: true, secrets: [secret], targets: ["env"], leases: new Map(), skippedPaths: [] });
}

describe("the job summary", () => {
  it("names the backend, the role, the token's life and every secret's name, path and key, never a value", () => {
    const text = renderSummary(summary);
    assert.match(text, /^### Keybridge: secrets for this job\n/);
    assert.match(text, /Vault at `https:\/\/vault\.internal:8200`, role `ci-prod`: token valid for 10 min, revoked when the job ends\./);
    assert.match(text, /\| `DB_USER` \| `database\/creds\/ci` \| `username` \| 1 h, renewable \|/);
    assert.match(text, /Exported to: env, dotenv file\./);
    assert.doesNotMatch(text, /the-user-value|the-odd-value/);
  });

  it("keeps a pipe or backtick in a path or key from breaking the table", () => {
    // The one markdown escaper writes them as entities inside <code>: no raw | or ` is left to act.
    assert.match(renderSummary(summary), /\| `ODD` \| <code>secret\/data\/a&#124;b<\/code> \| <code>k&#96;ey<\/code> \|  \|/);
  });

  it("lists the paths skipped by ignore-not-found", () => {
    assert.match(renderSummary({ ...summary, skippedPaths: ["secret/data/gone"] }), /Not found and skipped \(ignore-not-found\): `secret\/data\/gone`\./);
  });

  it("says durations in the largest whole unit, and a token without expiry as such", () => {
    assert.deepEqual([7200, 120, 90, 0].map(formatDuration), ["2 h", "2 min", "90 s", "no expiry"]);
  });

  it("keeps a hostile key name inside its table cell: no line break, pipe, heading, link, image or mention acts", () => {
    const markdown = summaryFor("x\n# Owned\n| a | b |\n[click](https://evil.example) <img src=x onerror=alert(1)> @admin ` code");
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `SAFE`") || line.startsWith("| <code>SAFE"));
    assert.equal(rows.length, 1, "one row for one secret");
    assert.equal(rows[0]!.split(/(?<!\\)\|/).length, 6, "five separators: four cells, none added by the key");
    assert.doesNotMatch(markdown, /^# Owned/m);
    assert.doesNotMatch(markdown, /<img|\]\(https|@admin/);
    assert.ok(!markdown.includes("never-shown-9f3"));
  });

  it("shows an ordinary key as code", () => {
    assert.match(summaryFor("password"), /\| `SAFE` \| `secret\/data\/app` \| `password` \|/);
  });
});
