// One comment per stack on the pull request, found again by its hidden marker and edited in place
// on every push, so reviewers never scroll through stale plans. GITHUB_API_URL makes it work on
// GitHub Enterprise Server.
import { context, getOctokit } from "@actions/github";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";

export interface CommentResult {
  readonly url: string;
  readonly action: "created" | "updated";
}

/** The pull request (or issue) the running workflow belongs to, if any. */
export function pullRequestNumber(): number | undefined {
  const number = context.payload.pull_request?.number ?? context.payload.issue?.number;
  return typeof number === "number" ? number : undefined;
}

export async function upsertStickyComment(token: string, issueNumber: number, marker: string, body: string): Promise<CommentResult> {
  const octokit = getOctokit(token);
  const { owner, repo } = context.repo;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
    const existing = comments.find((comment) => comment.body?.startsWith(marker));
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { url: data.html_url, action: "updated" };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { url: data.html_url, action: "created" };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const advice = status === 403 || status === 404
      ? "the token may not write pull request comments (pull requests from forks get a read-only token); give the job `permissions: pull-requests: write`"
      : "check the github-token input and GITHUB_API_URL";
    throw new KeybridgeError("KB_COMMENT_FAILED", `posting the plan comment on #${issueNumber} failed (${status ? `HTTP ${status}` : (error as Error).message}); ${advice}`);
  }
}
