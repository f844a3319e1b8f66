// summarizeTerraformPlan: counts of a Terraform plan per resource type and action, and for each
// changed resource the names of the attributes that change. No value of the plan is ever copied
// into the summary, so nothing rendered from it can leak one.
import * as z from "zod/mini";
import { jsonPath } from "../load.ts";
import { changedAttributes, secretResourceTypes, type AttributeChange } from "./attributes.ts";
import { TerraformPlanJson } from "./schema.ts";
import { compareText } from "../text-order.ts";

export const resourceActions = ["create", "update", "replace", "delete"] as const;
export type ResourceAction = (typeof resourceActions)[number];
export type ActionCounts = Record<ResourceAction, number>;

export interface ResourceChangeSummary {
  readonly address: string;
  readonly type: string;
  readonly action: ResourceAction;
  /** For updates and replacements: the attributes that change (names only). */
  readonly attributes: readonly AttributeChange[];
  /** A resource type that holds secret values (vault_kv_secret_v2, infisical_secret, …). */
  readonly holdsSecret: boolean;
}

export interface TerraformPlanSummary {
  readonly formatVersion: string;
  readonly totals: ActionCounts;
  readonly byType: ReadonlyArray<{ readonly type: string; readonly counts: ActionCounts }>;
  readonly resources: readonly ResourceChangeSummary[];
}

export type TerraformPlanResult = { readonly ok: true; readonly summary: TerraformPlanSummary } | { readonly ok: false; readonly problems: readonly string[] };

/** no-op, read, forget and ephemeral opens change nothing a reviewer approves here. */
function actionOf(actions: readonly string[]): ResourceAction | undefined {
  switch (actions.join(",")) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      return undefined;
  }
}

const noCounts = (): ActionCounts => ({ create: 0, update: 0, replace: 0, delete: 0 });

/** Only the two fields the summary reads are handed to the validator. */
function pick(json: unknown): unknown {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return json;
  const { format_version, resource_changes } = json as Record<string, unknown>;
  return { format_version, resource_changes };
}

export function summarizeTerraformPlan(json: unknown): TerraformPlanResult {
  const parsed = z.safeParse(TerraformPlanJson, pick(json));
  if (!parsed.success) {
    // Messages name the path and what was expected, never the value found there.
    const problems = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message}`);
    return { ok: false, problems: problems.map((problem) => `terraform plan JSON ${problem}`) };
  }
  const resources: ResourceChangeSummary[] = [];
  for (const resource of parsed.data.resource_changes ?? []) {
    const action = actionOf(resource.change.actions);
    if (!action) continue;
    const attributes = action === "update" || action === "replace" ? changedAttributes(resource.type, resource.change) : [];
    resources.push({ address: resource.address, type: resource.type, action, attributes, holdsSecret: secretResourceTypes.has(resource.type) });
  }
  resources.sort((a, b) => compareText(a.address, b.address));
  const totals = noCounts();
  const byType = new Map<string, ActionCounts>();
  for (const resource of resources) {
    totals[resource.action] += 1;
    const counts = byType.get(resource.type) ?? noCounts();
    counts[resource.action] += 1;
    byType.set(resource.type, counts);
  }
  return {
    ok: true,
    summary: {
      formatVersion: parsed.data.format_version,
      totals,
      byType: [...byType].sort(([a], [b]) => compareText(a, b)).map(([type, counts]) => ({ type, counts })),
      resources,
    },
  };
}
