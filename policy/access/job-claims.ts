// A job described the way a reviewer would ("repository=acme/x,ref=refs/heads/feature,
// event=pull_request") turned into the claims GitHub's OIDC token would carry for it, so that
// roles bound on `sub`, `repository_owner` or `ref_type` are matched too.

export class JobClaimsError extends Error {}

/** Reviewer words → claim names. */
const aliases: Readonly<Record<string, string>> = { event: "event_name", repo: "repository", env: "environment", runner: "runner_environment", workflow: "job_workflow_ref" };

export function parseJobClaims(text: string): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const part of text.split(",").map((item) => item.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at <= 0) throw new JobClaimsError(`"${part}" is not NAME=VALUE; write e.g. repository=acme/app,ref=refs/heads/main`);
    const name = part.slice(0, at).trim();
    claims[aliases[name] ?? name] = part.slice(at + 1).trim();
  }
  return completeClaims(claims);
}

/** Fills in the claims GitHub derives from the others, leaving any given explicitly as they are. */
export function completeClaims(given: Readonly<Record<string, string>>): Record<string, string> {
  const claims = { ...given };
  const repository = claims.repository;
  if (repository && claims.repository_owner === undefined && repository.includes("/")) claims.repository_owner = repository.split("/")[0]!;
  if (claims.ref && claims.ref_type === undefined) claims.ref_type = claims.ref.startsWith("refs/tags/") ? "tag" : "branch";
  if (claims.sub === undefined && repository) {
    // GitHub's default subject: the environment wins, then pull_request, then the ref.
    if (claims.environment) claims.sub = `repo:${repository}:environment:${claims.environment}`;
    else if (claims.event_name === "pull_request") claims.sub = `repo:${repository}:pull_request`;
    else if (claims.ref) claims.sub = `repo:${repository}:ref:${claims.ref}`;
  }
  return claims;
}
