// The main step in plan mode, bundled apart from fetch mode (dist/chunks/plan.js): main loads it
// only when mode is plan, so the fetch path never parses the policy diff or the GitHub client.
import { failStep } from "../step-failure.ts";
import { printToFileDescriptor } from "../runner-protocol/workflow-commands.ts";
import { readPlanInputs } from "./plan-inputs.ts";
import { runPlan } from "./run-plan.ts";

/** Never rejects: a failure becomes the step's error annotation and exit code. */
export async function planStep(): Promise<void> {
  printToFileDescriptor();
  try {
    await runPlan(readPlanInputs());
  } catch (failure) {
    failStep(failure);
  }
}
