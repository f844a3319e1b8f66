import type { RiskRule } from "../rule.ts";
import { unpinned } from "../conditions/unpinned.ts";

export const runnerUnpinned: RiskRule = {
  id: "KB114",
  level: "medium",
  title: "Runner no longer pinned on a protected grant",
  trigger: "A grant covering a protected environment stops requiring an exact `runner_environment` (self-hosted or github-hosted).",
  why: "Self-hosted runners often sit inside the network the secret protects; letting any runner log in changes where production secrets travel.",
  kinds: ["principal.widened"],
  check: (change) => unpinned(change, (facets) => facets.runnerPinned, "runner_environment", "runner"),
};
