// Plan mode: compare the base and head policy documents, post the plan as one sticky pull-request
// comment and as the job summary, set outputs, and fail when an unacknowledged risk reaches fail-on.
// Loaded only in plan mode, so the fetch path never loads the GitHub client.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { buildPlan, PlanInputError, type Plan } from "../../policy/plan.ts";
import { markerLine, renderJson, renderMarkdown, renderText } from "../../policy/render/index.ts";
import { atLeast } from "../../policy/risk/level.ts";
import { KeybridgeError, describeError } from "../../policy/errors/keybridge-error.ts";
import { appendSummary, setOutput } from "../runner-protocol/file-commands.ts";
import { info, warning } from "../runner-protocol/workflow-commands.ts";
import { readPolicyFile, readTerraformPlanFile } from "../../client/policy-files.ts";
import { pullRequestNumber, upsertStickyComment } from "./sticky-comment.ts";
import type { FailOn, PlanInputs } from "./plan-inputs.ts";

/** Where the job's artifacts are listed: the link for a comment that had to be cut. */
function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = process.env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

/** The full plan in every form, for upload as an artifact (the comment may be cut). */
function writePlanFiles(plan: Plan, stack: string): string {
  const directory = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), `keybridge-plan-${stack.replace(/[^A-Za-z0-9._-]/g, "_")}-`));
  writeFileSync(join(directory, "plan.json"), renderJson(plan));
  writeFileSync(join(directory, "plan.txt"), renderText(plan));
  writeFileSync(join(directory, "plan.md"), renderMarkdown(plan, { marker: stack, maxLength: 50_000_000 }));
  return directory;
}

function meetsThreshold(plan: Plan, failOn: FailOn): boolean {
  return failOn !== "never" && plan.highest !== undefined && atLeast(plan.highest, failOn);
}

async function comment(inputs: PlanInputs, stack: string, body: string): Promise<void> {
  if (!inputs.comment) return info("Skipping the pull request comment: comment is false");
  const number = pullRequestNumber();
  if (number === undefined) return info("Skipping the pull request comment: this run is not for a pull request");
  if (!inputs.githubToken) return warning("Skipping the pull request comment: github-token is empty");
  try {
    const result = await upsertStickyComment(inputs.githubToken, number, markerLine(stack), body);
    info(`${result.action === "created" ? "Posted" : "Updated"} the plan comment for stack ${stack}: ${result.url}`);
    setOutput("comment-url", result.url);
  } catch (error) {
    // The plan is still in the summary and the outputs; a read-only token must not hide it.
    warning(describeError(error));
  }
}

export async function runPlan(inputs: PlanInputs): Promise<void> {
  const base = inputs.base === "none" ? undefined : readPolicyFile("Input base", inputs.base);
  const head = readPolicyFile("Input head", inputs.head);
  const terraformPlan = inputs.terraformPlan ? readTerraformPlanFile("Input terraform-plan", inputs.terraformPlan) : undefined;
  let plan: Plan;
  try {
    plan = buildPlan({ base: base?.document ?? null, head: head.document, terraformPlan });
  } catch (error) {
    if (error instanceof PlanInputError) throw new KeybridgeError(error.code, `Input terraform-plan: ${error.message}`);
    throw error;
  }
  const stack = inputs.stack ?? head.stack;
  const artifactUrl = runUrl();
  const markdown = renderMarkdown(plan, { marker: stack, title: `Secret access plan for ${stack}`, ...(artifactUrl ? { artifactUrl } : {}) });

  info(renderText(plan).trimEnd());
  appendSummary(markdown);
  const files = writePlanFiles(plan, stack);
  info(`The full plan (JSON, text, markdown) is in ${files}`);
  setOutput("risk", plan.highest ?? "none");
  setOutput("changes", String(plan.counts.changes));
  setOutput("findings", JSON.stringify(plan.counts.findings));
  setOutput("plan-dir", files);
  await comment(inputs, stack, markdown);

  if (meetsThreshold(plan, inputs.failOn)) {
    throw new KeybridgeError("KB_PLAN_RISK",
      `The plan has an unacknowledged ${plan.highest} risk (fail-on: ${inputs.failOn}): fix the grant, or accept the risk in the app with grant.acknowledge(RULE, reason)`);
  }
}
