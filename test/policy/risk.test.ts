import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffPolicies } from "../../policy/diff/index.ts";
import type { Grant, PolicyDocument } from "../../policy/document.ts";
import { plainText } from "../../policy/phrase.ts";
import { assessRisks, atLeast, highestUnacknowledged, levels, riskRules, type Finding } from "../../policy/risk/index.ts";
import { grant, onMain, policy, project, repo, withGrants } from "./support/documents.ts";
import { planDocuments } from "../../bench/plans/documents.ts";

const assess = (base: PolicyDocument, head: PolicyDocument) => assessRisks(diffPolicies(base, head), head);
const rulesOf = (findings: readonly Finding[]) => findings.map((finding) => finding.rule);

const reader = grant("app-prod-read");
const devReader = grant("app-dev-read", { environment: "dev" });
const changed = (before: Grant, after: Partial<Grant>): [PolicyDocument, PolicyDocument] => [withGrants([before]), withGrants([{ ...before, ...after }])];
const added = (after: Grant): [PolicyDocument, PolicyDocument] => [withGrants([]), withGrants([after])];
const withEnvironments = (environments: Array<[string, boolean]>) => policy(project({ environments: environments.map(([name, isProtected]) => ({ name, protected: isProtected })) }));
const withRotation = (days: number) => policy(project({ secrets: [{ name: "database", keys: ["password"] }, { name: "stripe", keys: ["key"], rotation: { maxAgeSeconds: days * 86_400, strategy: "manual" } }] }));
function withIssuer(url: string, extra = false): PolicyDocument {
  const document = policy();
  document.issuers = [{ name: "github", url }, ...(extra ? [{ name: "ghe", url: "https://ghe.example.com/_services/token" }] : [])];
  return document;
}
const pullRequests = repo("acme/app", { event_name: ["pull_request"] });

/** For each rule: a change that must trigger it, and a near miss that must not. */
const cases: Record<string, { when: string; trigger: [PolicyDocument, PolicyDocument]; nearMiss: string; miss: [PolicyDocument, PolicyDocument] }> = {
  KB101: {
    when: "a prod grant's ref goes from refs/heads/main to refs/heads/*",
    trigger: changed(reader, { principal: repo("acme/app", { ref: ["refs/heads/*"] }) }),
    nearMiss: "the ref glob is still bound to the prod GitHub environment",
    miss: changed({ ...reader, principal: onMain("acme/app", { environment: ["prod"] }) }, { principal: repo("acme/app", { ref: ["refs/heads/*"], environment: ["prod"] }) }),
  },
  KB102: {
    when: "a prod grant's repository becomes acme/*",
    trigger: changed(reader, { principal: repo("acme/*", { ref: ["refs/heads/main"] }) }),
    nearMiss: "the same widening on dev",
    miss: changed(devReader, { principal: repo("acme/*", { ref: ["refs/heads/main"] }) }),
  },
  KB103: {
    when: "a new prod grant admits refs/pull/* jobs",
    trigger: added(grant("pr", { principal: repo("acme/app", { ref: ["refs/pull/*"] }) })),
    nearMiss: "pull_request is among the events but the ref is pinned to main",
    miss: added(grant("pr", { principal: onMain("acme/app", { event_name: ["push", "pull_request"] }) })),
  },
  KB104: {
    when: "a dev grant's repository becomes the whole organization",
    trigger: changed(devReader, { principal: repo(undefined, { repository_owner: ["acme"], ref: ["refs/heads/main"] }) }),
    nearMiss: "a new dev grant for one named repository",
    miss: added(grant("one", { environment: "dev", principal: repo("acme/app") })),
  },
  KB105: {
    when: "pull_request jobs gain write on dev",
    trigger: added(grant("pr-write", { environment: "dev", principal: pullRequests, capabilities: ["read", "write"] })),
    nearMiss: "pull_request jobs gain read only on dev",
    miss: added(grant("pr-read", { environment: "dev", principal: pullRequests })),
  },
  KB106: {
    when: "a prod grant stops requiring the prod GitHub environment",
    trigger: changed({ ...reader, principal: onMain("acme/app", { environment: ["prod"] }) }, { principal: onMain("acme/app") }),
    nearMiss: "the same on a dev grant",
    miss: changed({ ...devReader, principal: onMain("acme/app", { environment: ["dev"] }) }, { principal: onMain("acme/app") }),
  },
  KB107: {
    when: "prod is no longer protected",
    trigger: [withEnvironments([["dev", false], ["prod", true]]), withEnvironments([["dev", false], ["prod", false]])],
    nearMiss: "dev becomes protected",
    miss: [withEnvironments([["dev", false], ["prod", true]]), withEnvironments([["dev", true], ["prod", true]])],
  },
  KB108: {
    when: "a prod grant gains write",
    trigger: changed(reader, { capabilities: ["read", "write"] }),
    nearMiss: "a dev grant gains write",
    miss: changed(devReader, { capabilities: ["read", "write"] }),
  },
  KB109: {
    when: "a token lifetime grows from 10 min to 12 h",
    trigger: changed(reader, { tokenTtlSeconds: 43_200, tokenMaxTtlSeconds: 43_200 }),
    nearMiss: "it grows from 10 to 20 min",
    miss: changed({ ...reader, tokenMaxTtlSeconds: 1200 }, { tokenTtlSeconds: 1200 }),
  },
  KB110: {
    when: "the issuer github points to another URL",
    trigger: [withIssuer("https://token.actions.githubusercontent.com"), withIssuer("https://evil.example.com")],
    nearMiss: "another issuer is added",
    miss: [withIssuer("https://token.actions.githubusercontent.com"), withIssuer("https://token.actions.githubusercontent.com", true)],
  },
  KB111: {
    when: "a dev grant gains delete",
    trigger: changed(devReader, { capabilities: ["read", "delete"] }),
    nearMiss: "a dev grant gains list",
    miss: changed(devReader, { capabilities: ["read", "list"] }),
  },
  KB112: {
    when: "a token lifetime grows from 10 to 20 min",
    trigger: changed({ ...reader, tokenMaxTtlSeconds: 1200 }, { tokenTtlSeconds: 1200 }),
    nearMiss: "it grows from 5 to 25 min (more than 4 times)",
    miss: changed({ ...reader, tokenTtlSeconds: 300, tokenMaxTtlSeconds: 1500 }, { tokenTtlSeconds: 1500 }),
  },
  KB113: {
    when: "a rotation is relaxed from 30 to 90 days",
    trigger: [withRotation(30), withRotation(90)],
    nearMiss: "it is tightened from 30 to 7 days",
    miss: [withRotation(30), withRotation(7)],
  },
  KB114: {
    when: "a prod grant no longer pins the self-hosted runner",
    trigger: changed({ ...reader, principal: onMain("acme/app", { runner_environment: ["self-hosted"] }) }, { principal: onMain("acme/app") }),
    nearMiss: "the same on a dev grant",
    miss: changed({ ...devReader, principal: onMain("acme/app", { runner_environment: ["self-hosted"] }) }, { principal: onMain("acme/app") }),
  },
  KB115: {
    when: "a prod grant drops its job_workflow_ref",
    trigger: changed({ ...reader, principal: onMain("acme/app", { job_workflow_ref: ["acme/ci/.github/workflows/deploy.yml@refs/heads/main"] }) }, { principal: onMain("acme/app") }),
    nearMiss: "the same on a dev grant",
    miss: changed({ ...devReader, principal: onMain("acme/app", { job_workflow_ref: ["acme/ci/.github/workflows/deploy.yml@refs/heads/main"] }) }, { principal: onMain("acme/app") }),
  },
  KB116: {
    when: "a new dev grant lets one repository on main read",
    trigger: added(grant("one", { environment: "dev" })),
    nearMiss: "the new grant is flagged by a stronger rule (write on prod)",
    miss: added(grant("writer", { capabilities: ["read", "write"] })),
  },
  KB117: {
    when: "a grant is removed",
    trigger: [withGrants([reader]), withGrants([])],
    nearMiss: "the grant is only renamed",
    miss: changed(reader, { id: "renamed" }),
  },
  KB118: {
    when: "a token lifetime shrinks",
    trigger: changed(reader, { tokenTtlSeconds: 300 }),
    nearMiss: "it grows",
    miss: changed(reader, { tokenTtlSeconds: 900 }),
  },
  KB119: {
    when: "a grant keeps its content under a new id",
    trigger: changed(reader, { id: "renamed" }),
    nearMiss: "a grant keeps its id and changes its paths",
    miss: changed(reader, { paths: ["stripe"] }),
  },
};

/** Projects, secrets, rotations, issuers, the backend and acknowledgements changed. */
function structural(): [PolicyDocument, PolicyDocument] {
  const base = policy(project({ secrets: [{ name: "database", keys: ["password", "username"] }, { name: "legacy", keys: ["token"], rotation: { maxAgeSeconds: 86_400, strategy: "manual" } }], grants: [grant("a")] }));
  const head = policy(
    project({
      secrets: [
        { name: "database", keys: ["password"], rotation: { maxAgeSeconds: 86_400, strategy: "backend" } },
        { name: "queue", keys: ["url"] },
      ],
      grants: [grant("a", { acknowledgements: [{ rule: "KB111", reason: "accepted for this test" }] })],
    }),
    project({ name: "billing" }),
  );
  head.issuers = [...head.issuers, { name: "ghe", url: "https://ghe.example.com/_services/token" }];
  head.backend = { type: "vault", mount: "kv", authPath: "jwt" };
  return [base, head];
}

describe("risk rules", () => {
  for (const rule of riskRules) {
    const example = cases[rule.id];
    it(`${rule.id} fires when ${example?.when ?? "(no case written)"}`, () => {
      assert.ok(example, `write a trigger and a near miss for ${rule.id} in this file`);
      const findings = assess(...example.trigger);
      const finding = findings.find((candidate) => candidate.rule === rule.id);
      assert.ok(finding, `${rule.id} did not fire; got ${rulesOf(findings).join(", ") || "nothing"}`);
      assert.equal(finding.level, rule.level);
      assert.ok(plainText(finding.reason).length > 10 && !plainText(finding.reason).includes("\n"), "the reason is one line");
    });
    it(`${rule.id} does not fire when ${example?.nearMiss ?? "(no case written)"}`, () => {
      assert.ok(example);
      assert.ok(!rulesOf(assess(...example.miss)).includes(rule.id));
    });
  }

  it("has unique IDs KB1xx, levels from the list, and a reason to exist", () => {
    const ids = riskRules.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of riskRules) {
      assert.match(rule.id, /^KB1\d\d$/);
      assert.ok(levels.includes(rule.level));
      assert.ok(rule.why.length > 30 && rule.trigger.length > 20, `${rule.id} needs a trigger and a why`);
    }
  });

  it("asks each rule only about the kinds of change it lists, and misses nothing by that", () => {
    // Every change the cases, the plan benchmark's documents and a change of everything but grants make, both ways round.
    const bench = planDocuments(200);
    const pairs = [...Object.values(cases).flatMap((example) => [example.trigger, example.miss]), [bench.base, bench.head] as [PolicyDocument, PolicyDocument], structural()];
    const changes = pairs.flatMap(([base, head]) => [...diffPolicies(base, head), ...diffPolicies(head, base)]);
    const kinds = new Set(changes.map((change) => change.kind));
    assert.ok(kinds.size >= 20, `the corpus covers only ${kinds.size} kinds of change`);
    for (const rule of riskRules) {
      for (const change of changes) {
        if (!rule.kinds.includes(change.kind)) assert.equal(rule.check(change), undefined, `${rule.id} fires on a ${change.kind} change it does not list`);
      }
    }
  });

  it("reports the issue's CRITICAL sentence with the ref before", () => {
    const [base, head] = cases.KB101!.trigger;
    const finding = assess(base, head).find((candidate) => candidate.rule === "KB101")!;
    assert.equal(plainText(finding.reason), "acme/app on any branch may now read payments/prod/database (before: only refs/heads/main)");
  });

  it("ranks findings most severe first", () => {
    const [base, head] = changed(reader, { principal: repo("acme/app", { ref: ["refs/heads/*"] }), tokenTtlSeconds: 1200, tokenMaxTtlSeconds: 1200, paths: ["stripe"] });
    const found = assess(base, head).map((finding) => finding.level);
    assert.deepEqual(found, [...found].sort((a, b) => levels.indexOf(a) - levels.indexOf(b)));
    assert.equal(found[0], "critical");
  });

  it("marks an acknowledged finding with its reason and leaves it out of the threshold", () => {
    const reason = "deploys run from any release branch; reviewed by security";
    const wide = { principal: repo("acme/app", { ref: ["refs/heads/*"] }), acknowledgements: [{ rule: "KB101", reason }] };
    const findings = assess(...changed(reader, wide));
    const finding = findings.find((candidate) => candidate.rule === "KB101");
    assert.deepEqual(finding?.acknowledgement, { reason });
    assert.equal(highestUnacknowledged(findings), undefined, "nothing else needs attention");
    const unacknowledged = assess(...changed(reader, { principal: wide.principal }));
    assert.equal(highestUnacknowledged(unacknowledged), "critical");
  });

  it("applies acknowledgements from the head document only, and only for the rule they name", () => {
    const acknowledgedBefore = { ...reader, acknowledgements: [{ rule: "KB101", reason: "was accepted before this change" }] };
    const findings = assess(withGrants([acknowledgedBefore]), withGrants([{ ...reader, principal: repo("acme/app", { ref: ["refs/heads/*"] }) }]));
    assert.equal(findings.find((candidate) => candidate.rule === "KB101")?.acknowledgement, undefined);
    const wrongRule = { ...reader, principal: repo("acme/app", { ref: ["refs/heads/*"] }), acknowledgements: [{ rule: "KB109", reason: "a different risk entirely" }] };
    assert.equal(highestUnacknowledged(assess(withGrants([reader]), withGrants([wrongRule]))), "critical");
  });

  it("orders levels critical, high, medium, low, info", () => {
    assert.deepEqual(levels, ["critical", "high", "medium", "low", "info"]);
    assert.ok(atLeast("critical", "high") && atLeast("high", "high") && !atLeast("medium", "high"));
    assert.equal(highestUnacknowledged([]), undefined);
  });
});
