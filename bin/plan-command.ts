// `keybridge plan`: the plan of a policy change, as a terminal, a pull request or a program reads
// it. Exit 2 when an unacknowledged risk reaches --fail-on, so CI can gate on it.
import { parseArgs } from "node:util";
import { buildPlan, PlanInputError } from "../policy/plan.ts";
import { renderJson, renderMarkdown, renderText } from "../policy/render/index.ts";
import { atLeast, isLevel, levels } from "../policy/risk/level.ts";
import { readPolicyFile, readTerraformPlanFile } from "../client/policy-files.ts";
import { SharedPrincipals } from "../policy/load-valid.ts";
import { UsageError } from "./usage-error.ts";
import { sourceKind as kindOfSource } from "../client/source-kind.ts";

export const planHelp = `Usage: keybridge plan --base <file|dir|none> --head <file|dir> [flags]

Compares two policy documents (keybridge.policy.json, a stack directory, or a synth output
directory with one stack) and prints who gains or loses access to what, with risk findings.
Given two Terraform configurations (directories or files of .tf/.tf.json), it compares their
access graphs: who gains or loses which capability on which path, roles that admit other jobs,
and the access invariants (KB2xx) the change breaks or mends.

Flags:
  --base PATH             the document before the change; none when the change adds the first one
  --head PATH             the document after the change
  --terraform-plan FILE   also summarize \`terraform show -json\` output (values are never shown)
  --format F              text (default), markdown (a pull request comment) or json
  --fail-on LEVEL         exit 2 when an unacknowledged finding is ${levels.join(", ")} or worse
  --stack NAME            the stack name for the comment marker (default: the head's directory)
  --color                 colour the levels in text output
`;

export async function planCommand(argv: readonly string[], write = (text: string) => process.stdout.write(text)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      base: { type: "string" }, head: { type: "string" }, "terraform-plan": { type: "string" }, format: { type: "string" },
      "fail-on": { type: "string" }, stack: { type: "string" }, color: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge plan --help`);
  if (!values.base || !values.head) throw new UsageError("--base and --head are required; see keybridge plan --help");
  const format = values.format ?? "text";
  if (!["text", "markdown", "json"].includes(format)) throw new UsageError(`--format ${format} is not supported; use text, markdown or json`);
  const failOn = values["fail-on"];
  if (failOn !== undefined && !isLevel(failOn)) throw new UsageError(`--fail-on ${failOn} is not a level; use one of ${levels.join(", ")}`);

  if (kindOfSource(values.head, { label: "--head", invalid: (message) => new UsageError(message) }) === "terraform") {
    // Plans of Terraform configurations need the access graph's Terraform side: loaded only for them.
    const { accessPlanCommand } = await import("./access/plan-configurations.ts");
    return accessPlanCommand({ base: values.base === "none" ? undefined : values.base, head: values.head, format, failOn, stack: values.stack, write });
  }

  const principals = new SharedPrincipals();
  const base = values.base === "none" ? undefined : readPolicyFile("--base", values.base, principals);
  const head = readPolicyFile("--head", values.head, principals);
  const terraformPlan = values["terraform-plan"] ? readTerraformPlanFile("--terraform-plan", values["terraform-plan"]) : undefined;
  let plan;
  try {
    plan = buildPlan({ base: base?.document ?? null, head: head.document, terraformPlan });
  } catch (error) {
    if (error instanceof PlanInputError) throw new UsageError(`--terraform-plan: ${error.message}`, error.code);
    throw error;
  }
  const stack = values.stack ?? head.stack;
  if (format === "json") write(renderJson(plan));
  else if (format === "markdown") write(renderMarkdown(plan, { marker: stack, title: `Secret access plan for ${stack}` }));
  else write(renderText(plan, { color: values.color ?? false }));
  return failOn !== undefined && plan.highest !== undefined && atLeast(plan.highest, failOn) ? 2 : 0;
}
