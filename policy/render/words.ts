// The counts lines every renderer starts with, as plain text (no names in them, nothing to escape).
import type { Plan } from "../plan.ts";
import { levels } from "../risk/level.ts";
import { resourceActions, type ActionCounts } from "../terraform-plan/summarize.ts";

export const noChanges = "No changes to secret access.";

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "1 critical, 1 high, 1 medium, 0 low, 2 info (1 acknowledged); highest: critical". */
export function riskLine(plan: Plan): string {
  const counts = levels.map((level) => `${plan.counts.findings[level]} ${level}`).join(", ");
  const acknowledged = plan.counts.acknowledged > 0 ? ` (${plan.counts.acknowledged} acknowledged)` : "";
  return `${counts}${acknowledged}; highest unacknowledged: ${plan.highest ?? "none"}`;
}

/** "7 changes to secret access: 2 grants added, 1 removed, 3 changed, 1 other change". */
export function changesLine(plan: Plan): string {
  const { grants, otherChanges, changes } = plan.counts;
  const parts = [
    grants.added > 0 ? `${plural(grants.added, "grant")} added` : "",
    grants.removed > 0 ? `${plural(grants.removed, "grant")} removed` : "",
    grants.changed > 0 ? `${plural(grants.changed, "grant")} changed` : "",
    otherChanges > 0 ? plural(otherChanges, "other change") : "",
  ].filter(Boolean);
  return `${plural(changes, "change")} to secret access: ${parts.join(", ")}`;
}

const actionWords: Record<(typeof resourceActions)[number], string> = { create: "to create", update: "to update", replace: "to replace", delete: "to destroy" };

/** "3 to create, 1 to update, 1 to replace, 1 to destroy". */
export function terraformLine(totals: ActionCounts): string {
  return resourceActions.map((action) => `${totals[action]} ${actionWords[action]}`).join(", ");
}
