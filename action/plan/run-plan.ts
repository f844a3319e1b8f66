// Plan mode: compare the base and head policy documents, post the plan as one sticky pull-request
// comment and as the job summary, set outputs, and fail when an unacknowledged risk reaches fail-on.
// Loaded only in plan mode, so the fetch path never loads the GitHub client. Two Terraform
// configurations are compared by their access graphs instead (access-plan.ts, loaded only then).
import { buildPlan, PlanInputError, type Plan } from "../../policy/plan.ts";
import { renderJson, renderMarkdown, renderText } from "../../policy/render/index.ts";
import { atLeast } from "../../policy/risk/level.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { readPolicyFile, readTerraformPlanFile } from "../../client/policy-files.ts";
import { isTerraformSource } from "../../client/source-kind.ts";
import { publishPlan, runUrl } from "./publish.ts";
import type { FailOn, PlanInputs } from "./plan-inputs.ts";

function meetsThreshold(plan: Plan, failOn: FailOn): boolean {
  return failOn !== "never" && plan.highest !== undefined && atLeast(plan.highest, failOn);
}

export async function runPlan(inputs: PlanInputs): Promise<void> {
  if (isTerraformSource(inputs.head)) {
    const { runAccessPlan } = await import("./access-plan.ts");
    return runAccessPlan(inputs);
  }
  const base = inputs.base === "none" ? undefined : readPolicyFile("Input base", inputs.base);
  const head = readPolicyFile("Input head", inputs.head);
  const terraformPlan = inputs.terraformPlan ? readTerraformPlanFile("Input terraform-plan", inputs.terraformPlan) : undefined;
  let plan: Plan;
  try {
    plan = buildPlan({ base: base?.document ?? null, head: head.document, terraformPlan });
  } catch (error) {
    if (error instanceof PlanInputError) throw new KeybridgeError(error.code, `Input terraform-plan: ${error.message}`);
    throw error;
  }
  const stack = inputs.stack ?? head.stack;
  const artifactUrl = runUrl();
  await publishPlan(inputs, {
    stack,
    text: renderText(plan),
    markdown: renderMarkdown(plan, { marker: stack, title: `Secret access plan for ${stack}`, ...(artifactUrl ? { artifactUrl } : {}) }),
    files: { "plan.json": renderJson(plan), "plan.txt": renderText(plan), "plan.md": renderMarkdown(plan, { marker: stack, maxLength: 50_000_000 }) },
    risk: plan.highest,
    changes: plan.counts.changes,
    findings: plan.counts.findings,
  });

  if (meetsThreshold(plan, inputs.failOn)) {
    throw new KeybridgeError("KB_PLAN_RISK",
      `The plan has an unacknowledged ${plan.highest} risk (fail-on: ${inputs.failOn}): fix the grant, or accept the risk in the app with grant.acknowledge(RULE, reason)`);
  }
}
