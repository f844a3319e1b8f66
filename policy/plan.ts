// buildPlan: the whole review of a pull request in one value — the semantic diff of the two policy
// documents, the risk findings (with acknowledgements applied), counts, the highest level nobody
// acknowledged, and optionally the summary of a Terraform plan. The CLI and the Action render it.
import { KeybridgeError } from "./errors/keybridge-error.ts";
import type { PolicyChange } from "./diff/change.ts";
import { diffPolicies } from "./diff/index.ts";
import { documentVersion, type PolicyDocument } from "./document.ts";
import { assessRisks, highestUnacknowledged } from "./risk/assess.ts";
import { levels, type Level } from "./risk/level.ts";
import type { Finding } from "./risk/rule.ts";
import { summarizeTerraformPlan, type TerraformPlanSummary } from "./terraform-plan/summarize.ts";

export interface PlanInput {
  /** The base branch's document; null when the pull request adds the first one. */
  readonly base: PolicyDocument | null;
  readonly head: PolicyDocument;
  /** The output of `terraform show -json plan.out`, as parsed JSON. */
  readonly terraformPlan?: unknown;
}

export interface PlanCounts {
  /** Findings nobody acknowledged, per level. */
  readonly findings: Readonly<Record<Level, number>>;
  readonly acknowledged: number;
  readonly changes: number;
  /** Grants with no counterpart in the base / in the head / matched with some change. */
  readonly grants: { readonly added: number; readonly removed: number; readonly changed: number };
  /** Changes that concern no grant (projects, environments, secrets, issuers, backend). */
  readonly otherChanges: number;
}

export interface Plan {
  readonly changes: readonly PolicyChange[];
  /** Most severe first. */
  readonly findings: readonly Finding[];
  readonly counts: PlanCounts;
  /** The most severe unacknowledged level; undefined when nothing needs attention. */
  readonly highest: Level | undefined;
  readonly terraform: TerraformPlanSummary | undefined;
}

export class PlanInputError extends KeybridgeError {
  constructor(message: string) {
    super("KB_TERRAFORM_PLAN_INVALID", message);
    this.name = "PlanInputError";
  }
}

function countChanges(changes: readonly PolicyChange[], findings: readonly Finding[]): PlanCounts {
  const perLevel = Object.fromEntries(levels.map((level) => [level, 0])) as Record<Level, number>;
  let acknowledged = 0;
  // Indexed loops: a plan has tens of thousands of changes, counted before this is optimized.
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    if (finding.acknowledgement) acknowledged += 1;
    else perLevel[finding.level] += 1;
  }
  // A grant is added or removed when the plan grants or revokes it, and changed when it only has other changes.
  const [added, removed, touched] = [new Set<string>(), new Set<string>(), new Set<string>()];
  let otherChanges = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (change.grant === undefined) {
      otherChanges += 1;
      continue;
    }
    const key = `${change.project}\u0000${change.grant}`;
    if (change.kind === "access.granted") added.add(key);
    else if (change.kind === "access.revoked") removed.add(key);
    else touched.add(key);
  }
  let changed = 0;
  for (const key of touched) if (!added.has(key) && !removed.has(key)) changed += 1;
  return { findings: perLevel, acknowledged, changes: changes.length, grants: { added: added.size, removed: removed.size, changed }, otherChanges };
}

export function buildPlan(input: PlanInput): Plan {
  let terraform: TerraformPlanSummary | undefined;
  if (input.terraformPlan !== undefined) {
    const result = summarizeTerraformPlan(input.terraformPlan);
    if (!result.ok) throw new PlanInputError(`the Terraform plan is not \`terraform show -json\` output: ${result.problems.slice(0, 3).join("; ")}`);
    terraform = result.summary;
  }
  const base: PolicyDocument = input.base ?? { version: documentVersion, backend: input.head.backend, issuers: [], projects: [] };
  const changes = diffPolicies(base, input.head);
  const findings = assessRisks(changes, input.head);
  return { changes, findings, counts: countChanges(changes, findings), highest: highestUnacknowledged(findings), terraform };
}
