import type { RiskRule } from "../rule.ts";
import { unpinned } from "../conditions/unpinned.ts";

export const workflowUnpinned: RiskRule = {
  id: "KB115",
  level: "medium",
  title: "Reusable workflow no longer pinned on a protected grant",
  trigger: "A grant covering a protected environment stops requiring an exact `job_workflow_ref`.",
  why: "Pinning the reusable workflow means only reviewed deployment code can log in; without it any workflow of the repository can.",
  kinds: ["principal.widened"],
  check: (change) => unpinned(change, (facets) => facets.workflowPinned, "job_workflow_ref", "reusable workflow"),
};
