// Plan mode on two Terraform configurations: their access graphs compared as `keybridge plan`
// compares them (who gains or loses which capability on which path, roles that admit other jobs,
// the invariants broken or mended). The Terraform reader and its WebAssembly load only here, in
// chunks of their own, so the fetch path and plans of policy documents never pay for them.
import { basename, resolve } from "node:path";
import { loadAccessGraph, type LoadedGraph } from "../../client/access-source.ts";
import { diffAccess, type AccessPlan } from "../../policy/access/diff.ts";
import { renderAccessPlanJson, renderAccessPlanMarkdown, renderAccessPlanText } from "../../policy/access/render-plan.ts";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { atLeast, compareLevels, levels, type Level } from "../../policy/risk/level.ts";
import { warning } from "../runner-protocol/workflow-commands.ts";
import { publishPlan } from "./publish.ts";
import type { PlanInputs } from "./plan-inputs.ts";

function load(path: string, input: string): Promise<LoadedGraph> {
  return loadAccessGraph(path, { label: `Input ${input}`, invalid: (message) => new KeybridgeError("KB_INPUT_INVALID", message) }, async (configuration) => {
    const { readAccessInstances } = await import("../../terraform/access-instances.ts");
    // Variables come from the configuration's defaults, *.auto.tfvars and TF_VAR_* as in Terraform.
    return readAccessInstances(configuration, [], process.env);
  });
}

function highestBroken(plan: AccessPlan): Level | undefined {
  return plan.broken.map((finding) => finding.level).sort(compareLevels)[0];
}

function perLevel(plan: AccessPlan): Record<Level, number> {
  const counts = Object.fromEntries(levels.map((level) => [level, 0])) as Record<Level, number>;
  for (const finding of plan.broken) counts[finding.level] += 1;
  return counts;
}

export async function runAccessPlan(inputs: PlanInputs): Promise<void> {
  if (inputs.terraformPlan) warning("Input terraform-plan is not read when head is a Terraform configuration: the plan compares the configurations themselves");
  const base = inputs.base === "none" ? undefined : await load(inputs.base, "base");
  const head = await load(inputs.head, "head");
  for (const line of [...(base?.warnings ?? []), ...head.warnings, ...(base?.graph.problems ?? []), ...head.graph.problems]) warning(line);
  const plan = diffAccess(base?.graph, head.graph);
  const stack = inputs.stack ?? basename(resolve(inputs.head));
  const title = `Secret access plan for ${stack}`;
  const risk = highestBroken(plan);
  await publishPlan(inputs, {
    stack,
    text: renderAccessPlanText(plan),
    markdown: renderAccessPlanMarkdown(plan, { marker: stack, title }),
    files: {
      "plan.json": renderAccessPlanJson(plan),
      "plan.txt": renderAccessPlanText(plan),
      "plan.md": renderAccessPlanMarkdown(plan, { marker: stack, title, maxLength: 50_000_000 }),
    },
    risk,
    changes: plan.gained.length + plan.lost.length + plan.rebound.length,
    findings: perLevel(plan),
  });

  if (inputs.failOn !== "never" && risk !== undefined && atLeast(risk, inputs.failOn)) {
    throw new KeybridgeError("KB_PLAN_RISK",
      `The change breaks a ${risk} access invariant (fail-on: ${inputs.failOn}): narrow the role or policy the plan names`);
  }
}
