export { summarizeTerraformPlan, resourceActions } from "./summarize.ts";
export type { ActionCounts, ResourceAction, ResourceChangeSummary, TerraformPlanResult, TerraformPlanSummary } from "./summarize.ts";
export type { AttributeChange } from "./attributes.ts";
export { secretResourceTypes } from "./attributes.ts";
