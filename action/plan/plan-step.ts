// The main step in plan mode, bundled apart from fetch mode (dist/chunks/plan.js): main loads it
// only when mode is plan, so the fetch path never parses the policy diff or the GitHub client.
import { runModeStep } from "../step-failure.ts";
import { readPlanInputs } from "./plan-inputs.ts";
import { runPlan } from "./run-plan.ts";

export const planStep = (): Promise<void> => runModeStep(() => runPlan(readPlanInputs()));
