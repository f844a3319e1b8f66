// What plan mode does with a plan, whichever kind (policy documents or access graphs): the text in
// the log, the markdown as job summary and sticky pull-request comment, the full plan as files for
// an artifact, and the outputs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { markerLine } from "../../policy/render/index.ts";
import { describeError } from "../../policy/errors/keybridge-error.ts";
import type { Level } from "../../policy/risk/level.ts";
import { appendSummary, setOutput } from "../runner-protocol/file-commands.ts";
import { info, warning } from "../runner-protocol/workflow-commands.ts";
import { pullRequestNumber, upsertStickyComment } from "./sticky-comment.ts";
import type { PlanInputs } from "./plan-inputs.ts";

export interface RenderedPlan {
  readonly stack: string;
  readonly text: string;
  /** The comment and summary (bounded in size). */
  readonly markdown: string;
  /** The plan's files by name (plan.json, plan.txt, plan.md), unbounded. */
  readonly files: Readonly<Record<string, string>>;
  readonly risk: Level | undefined;
  readonly changes: number;
  readonly findings: Readonly<Record<Level, number>>;
}

/** Where the job's artifacts are listed: the link for a comment that had to be cut. */
export function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = process.env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

/** The full plan in every form, for upload as an artifact (the comment may be cut). */
function writePlanFiles(plan: RenderedPlan): string {
  const directory = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), `keybridge-plan-${plan.stack.replace(/[^A-Za-z0-9._-]/g, "_")}-`));
  for (const [name, text] of Object.entries(plan.files)) writeFileSync(join(directory, name), text);
  return directory;
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

export async function publishPlan(inputs: PlanInputs, plan: RenderedPlan): Promise<void> {
  info(plan.text.trimEnd());
  appendSummary(plan.markdown);
  const files = writePlanFiles(plan);
  info(`The full plan (JSON, text, markdown) is in ${files}`);
  setOutput("risk", plan.risk ?? "none");
  setOutput("changes", String(plan.changes));
  setOutput("findings", JSON.stringify(plan.findings));
  setOutput("plan-dir", files);
  await comment(inputs, plan.stack, plan.markdown);
}
