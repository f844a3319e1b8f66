// Plans for renderer tests: the example (one change per risk level), a plan of any size,
// and checks that rendered markdown is well-formed.
import assert from "node:assert/strict";
import type { Grant } from "../../../policy/document.ts";
import { buildPlan, type Plan } from "../../../policy/plan.ts";
import { grant, onMain, policy, project, repo } from "./documents.ts";

const mlTraining = (grants: Grant[]) =>
  project({ name: "ml-training", environments: [{ name: "dev", protected: false }, { name: "prod", protected: true }], secrets: [{ name: "database", keys: ["password"] }], grants });
const payments = (days: number, grants: Grant[]) =>
  project({
    name: "payments",
    environments: [{ name: "prod", protected: true }, { name: "staging", protected: false }],
    secrets: [{ name: "stripe", keys: ["key"], rotation: { maxAgeSeconds: days * 86_400, strategy: "manual" } }],
    grants,
  });

const training = grant("training-prod-read", { principal: onMain("acme/training") });
const deploy = grant("ci-deploy", { environment: "dev", principal: onMain("acme/deploy"), tokenTtlSeconds: 600, tokenMaxTtlSeconds: 43_200 });
const oldService = grant("old-service-read", { environment: "staging", paths: ["*"], principal: repo("acme/old-service") });

/** The four lines: CRITICAL any-branch read, HIGH TTL 10 min → 12 h, MEDIUM rotation 30 → 90 days, Removed. */
export function examplePlan(): Plan {
  const base = policy(mlTraining([training, deploy]), payments(30, [oldService]));
  const head = policy(
    mlTraining([{ ...training, principal: repo("acme/training", { ref: ["refs/heads/*"] }) }, { ...deploy, tokenTtlSeconds: 43_200 }]),
    payments(90, []),
  );
  return buildPlan({ base, head });
}

/** `count` new grants on prod, each readable from any branch (one critical finding each). */
export function planOfSize(count: number, terraformPlan?: unknown): Plan {
  const grants = Array.from({ length: count }, (_, i) => grant(`g${String(i).padStart(5, "0")}`, { principal: repo(`acme/service-${i}`, { ref: ["refs/heads/*"] }) }));
  return buildPlan({ base: policy(project()), head: policy(project({ grants })), terraformPlan });
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** Balanced <details>, code fences and code spans; every table whole; raw `|` only in tables. */
export function assertWellFormed(markdown: string): void {
  assert.equal(count(markdown, "<details>"), count(markdown, "</details>"), "every <details> is closed");
  assert.equal(count(markdown, "<summary>"), count(markdown, "</summary>"));
  assert.equal(count(markdown, "```") % 2, 0, "code fences are balanced");
  const lines = markdown.split("\n");
  lines.forEach((line, i) => {
    assert.equal(count(line, "`") % 2, 0, `line ${i + 1} has an unclosed code span: ${line.slice(0, 120)}`);
    if (!line.startsWith("|")) assert.ok(!line.includes("|"), `line ${i + 1} has a raw | outside a table: ${line.slice(0, 120)}`);
  });
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("|") || lines[i - 1]?.startsWith("|")) continue;
    let end = i;
    while (lines[end + 1]?.startsWith("|")) end++;
    assert.match(lines[i + 1] ?? "", /^\|(-+:?\|)+$/, `table at line ${i + 1} has its separator`);
    const cells = (line: string) => count(line, "|");
    for (let row = i; row <= end; row++) assert.equal(cells(lines[row]!), cells(lines[i]!), `table row ${row + 1} is whole`);
    assert.equal(lines[end + 1], "", "a blank line ends each table");
  }
}
