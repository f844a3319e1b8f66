// The part of `terraform show -json plan.out` a plan summary needs, validated loosely: any 1.x
// format, and only `format_version` and `resource_changes`. Everything else (`variables`,
// `prior_state`, `planned_values`, `output_changes`, `configuration`) is dropped unread: those hold
// secret values in plain text.
import * as z from "zod/mini";

const PathStep = z.union([z.string(), z.number()]);

export const TerraformChange = z.object({
  actions: z.array(z.string()),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
  after_unknown: z.optional(z.unknown()),
  before_sensitive: z.optional(z.unknown()),
  after_sensitive: z.optional(z.unknown()),
  replace_paths: z.optional(z.array(z.array(PathStep))),
});

export const TerraformResourceChange = z.object({
  address: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  name: z.string(),
  mode: z.optional(z.string()),
  change: TerraformChange,
});

export const TerraformPlanJson = z.object({
  format_version: z.string().check(z.regex(/^1\.\d+(\.\d+)?$/, "must be 1.x (this Keybridge reads `terraform show -json` format 1.x)")),
  resource_changes: z.optional(z.array(TerraformResourceChange)),
});

export type TerraformChange = z.infer<typeof TerraformChange>;
export type TerraformResourceChange = z.infer<typeof TerraformResourceChange>;
