import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildPlan } from "../../policy/plan.ts";
import { renderJson, renderMarkdown, renderText } from "../../policy/render/index.ts";
import { grant, policy, project, repo, sso, withGrants } from "./support/documents.ts";
import { assertWellFormed, examplePlan, planOfSize } from "./support/plans.ts";

const githubCommentCap = 65_536;
const artifactUrl = "https://github.com/acme/secrets/actions/runs/42/artifacts/7";

describe("renderMarkdown", () => {
  it("reports the issue's four example lines", () => {
    const markdown = renderMarkdown(examplePlan(), { marker: "ml-training" });
    for (const line of [
      "- **CRITICAL:** `acme/training` on any branch may now read `ml-training/prod/database` (before: only `refs/heads/main`). `KB101`",
      "- **HIGH:** token lifetime for `ci-deploy` grows from 10 min to 12 h. `KB109`",
      "- **MEDIUM:** rotation of `payments/{prod,staging}/stripe` relaxed from 30 to 90 days. `KB113`",
      "- **Removed:** `acme/old-service` loses read on `payments/staging/*` (grant `old-service-read` removed). `KB117`",
    ]) {
      assert.ok(markdown.split("\n").includes(line), `missing: ${line}\n\n${markdown}`);
    }
    assertWellFormed(markdown);
  });

  it("puts the sticky marker on the first line and the counts in the next ones", () => {
    const lines = renderMarkdown(examplePlan(), { marker: "stack/ml-training", title: "Secrets plan" }).split("\n");
    assert.equal(lines[0], "<!-- keybridge-plan:stack/ml-training -->");
    assert.equal(lines[1], "### Secrets plan");
    assert.equal(lines[3], "**Risk:** 1 critical, 1 high, 1 medium, 0 low, 1 info; highest unacknowledged: critical<br>");
    assert.equal(lines[4], "**Changes:** 4 changes to secret access: 1 grant removed, 2 grants changed, 1 other change");
  });

  it("lists the unacknowledged critical and high findings above the folded details", () => {
    const markdown = renderMarkdown(examplePlan(), { marker: "m" });
    const top = markdown.slice(0, markdown.indexOf("<details>"));
    assert.ok(top.includes("**CRITICAL:**") && top.includes("**HIGH:**"));
    assert.ok(!top.includes("**MEDIUM:**") && !top.includes("**Removed:**"));
  });

  it("shows acknowledged findings with their reasons, apart from the rest", () => {
    const reason = "release branches deploy; reviewed by security on 2026-01-10";
    const acknowledged = grant("train", { principal: repo("acme/training", { ref: ["refs/heads/*"] }), acknowledgements: [{ rule: "KB101", reason }] });
    const plan = buildPlan({ base: withGrants([]), head: withGrants([acknowledged]) });
    const markdown = renderMarkdown(plan, { marker: "m" });
    const section = markdown.slice(markdown.indexOf("<summary>Acknowledged findings (1)</summary>"));
    assert.ok(section.includes(`acknowledged: “${reason.replaceAll("-", "&#45;")}”`), markdown);
    assert.ok(markdown.includes("highest unacknowledged: none"));
  });

  it("says so when nothing changes", () => {
    const plan = buildPlan({ base: withGrants([grant("a")]), head: withGrants([grant("a")]) });
    assert.ok(renderMarkdown(plan, { marker: "m" }).includes("\nNo changes to secret access.\n"));
    assert.ok(renderText(plan).includes("No changes to secret access."));
    assert.deepEqual(JSON.parse(renderJson(plan)).changes, []);
  });

  for (const size of [5000, 10_000]) {
    it(`stays within maxLength and GitHub's cap with ${size} changes, cutting whole items and saying how many more`, () => {
      const plan = planOfSize(size);
      assert.equal(plan.changes.length, size);
      const markdown = renderMarkdown(plan, { marker: "big", artifactUrl });
      assert.ok(markdown.length <= 60_000 && markdown.length <= githubCommentCap, `${markdown.length} characters`);
      assertWellFormed(markdown);
      const last = markdown.trimEnd().split("\n").at(-1)!;
      assert.match(last, /^\*\*\d+ more changes, see the full plan artifact\*\*: \[full plan artifact\]\(https:\/\/github\.com\/acme\/secrets\/actions\/runs\/42\/artifacts\/7\)$/);
      const shown = markdown.split("\n").filter((line) => line.startsWith("- **CRITICAL:**")).length;
      assert.equal(Number(/^\*\*(\d+) more/.exec(last)![1]), size - (shown - 10), "the count adds up (the top list repeats 10)");
      assert.ok(markdown.includes("…and " + (size - 10) + " more critical or high findings below."));
      const small = renderMarkdown(plan, { marker: "big", maxLength: 5000 });
      assert.ok(small.length <= 5000);
      assertWellFormed(small);
      assert.match(small.trimEnd().split("\n").at(-1)!, /^\*\*\d+ more changes, see the full plan artifact\*\*\.$/);
    });
  }

  it("escapes names so that a crafted one cannot break out", () => {
    const crafted = "evil|`x`</details></summary><script>alert(1)</script>&amp;\n\n# heading @acme/security";
    const grants = [
      grant("crafted-oidc", { environment: "dev", principal: repo("acme/app", { ref: [crafted] }) }),
      grant("crafted-sso", { environment: "dev", principal: sso(crafted), acknowledgements: [{ rule: "KB116", reason: crafted }] }),
    ];
    const plan = buildPlan({ base: policy(project()), head: policy(project({ grants })) });
    const markdown = renderMarkdown(plan, { marker: "m", title: crafted });
    assertWellFormed(markdown);
    assert.ok(!markdown.includes("<script>") && !markdown.includes("</script>"));
    assert.equal(markdown.split("</details>").length - 1, markdown.split("\n<details>").length - 1 + (markdown.startsWith("<details>") ? 1 : 0));
    assert.ok(!/\n# heading/.test(markdown), "no line starts with the crafted heading");
    assert.ok(!markdown.includes("@acme/security"), "no mention outside code");
    assert.ok(markdown.includes("<code>evil&#124;&#96;x&#96;&#60;/details&#62;"), markdown);
  });

  it("fails when the marker could end the HTML comment", () => {
    assert.throws(() => renderMarkdown(examplePlan(), { marker: "a-->b" }), /marker/);
    assert.throws(() => renderMarkdown(examplePlan(), { marker: "m", artifactUrl: "javascript:alert(1)" }), /http/);
  });
});

describe("renderText", () => {
  it("aligns findings in columns without colour codes unless asked", () => {
    const text = renderText(examplePlan());
    assert.ok(!text.includes("\u001b"));
    const findings = text.split("\n").filter((line) => /^ {2}[A-Z]+ +KB1\d\d {2}/.test(line));
    assert.equal(findings.length, 4);
    assert.equal(new Set(findings.map((line) => line.indexOf("KB1"))).size, 1, "rule IDs line up");
    assert.ok(text.includes("  CRITICAL  KB101  acme/training on any branch may now read ml-training/prod/database (before: only refs/heads/main)"));
    assert.ok(text.includes("  HIGH      KB109  token lifetime for ci-deploy grows from 10 min to 12 h"));
    assert.ok(renderText(examplePlan(), { color: true }).includes("\u001b[1;31mCRITICAL"));
  });

  it("shows control characters in names as visible placeholders", () => {
    const grants = [grant("x", { environment: "dev", principal: repo("acme/app", { ref: ["main\u001b[2J\nfake line\u202e"] }) })];
    const text = renderText(buildPlan({ base: policy(project()), head: policy(project({ grants })) }));
    assert.ok(!text.includes("\u001b") && !text.includes("\u202e") && !text.includes("\nfake line"));
    assert.ok(text.includes("main\ufffd[2J\u2424fake line\ufffd"));
  });
});

describe("renderJson", () => {
  it("writes the plan with sorted keys, plain sentences and the documented schema", () => {
    const json = renderJson(examplePlan());
    const parsed = JSON.parse(json);
    assert.equal(parsed.schema, "keybridge-plan/1");
    assert.equal(parsed.highest, "critical");
    assert.deepEqual(parsed.counts.findings, { critical: 1, high: 1, medium: 1, low: 0, info: 1 });
    assert.deepEqual(Object.keys(parsed), ["changes", "counts", "findings", "highest", "schema", "terraform"]);
    assert.deepEqual(Object.keys(parsed.findings[0]), [...Object.keys(parsed.findings[0])].sort());
    assert.equal(parsed.findings[0].reason, "acme/training on any branch may now read ml-training/prod/database (before: only refs/heads/main)");
    assert.equal(parsed.findings[0].rule, "KB101");
    assert.equal(parsed.changes[parsed.findings[0].change].kind, "principal.widened");
    assert.equal(json, renderJson(examplePlan()), "the same plan gives the same bytes");
  });
});
