// The claims of an emulated GitHub Actions job. Callers give a few (repository, ref, environment,
// …); everything else gets a default derived the way GitHub would fill it in, with stable numeric
// ids derived from names. All values are strings, as in GitHub's tokens.
import { withCode } from "../../policy/errors/keybridge-error.ts";
import { createHash } from "node:crypto";

export const jobClaimNames = [
  "actor",
  "actor_id",
  "base_ref",
  "enterprise",
  "enterprise_id",
  "environment",
  "event_name",
  "head_ref",
  "job_workflow_ref",
  "job_workflow_sha",
  "ref",
  "ref_protected",
  "ref_type",
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "repository_visibility",
  "run_attempt",
  "run_id",
  "run_number",
  "runner_environment",
  "sha",
  "sub",
  "workflow",
  "workflow_ref",
  "workflow_sha",
] as const;

export type JobClaims = Readonly<Record<string, string>>;

export class JobClaimsError extends withCode("KB_DEV_JOB_CLAIMS") {}

const numericClaims = ["actor_id", "enterprise_id", "repository_id", "repository_owner_id", "run_attempt", "run_id", "run_number"];
const allowedValues: Readonly<Record<string, readonly string[]>> = {
  ref_protected: ["true", "false"],
  ref_type: ["branch", "tag"],
  repository_visibility: ["public", "private", "internal"],
  runner_environment: ["github-hosted", "self-hosted"],
};

export const defaultRepository = "octo-org/octo-repo";

/** A 9-digit id that is always the same for the same name. */
function stableId(name: string): string {
  const number = parseInt(createHash("sha256").update(name).digest("hex").slice(0, 12), 16);
  return String(100_000_000 + (number % 900_000_000));
}

function stableSha(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 40);
}

/** Checks the given claims and fills in the rest. Throws JobClaimsError naming the bad value. */
export function completeJobClaims(given: Readonly<Record<string, unknown>>): JobClaims {
  for (const [name, value] of Object.entries(given)) {
    if (!(jobClaimNames as readonly string[]).includes(name)) {
      throw new JobClaimsError(`unknown claim "${name}"; known claims: ${jobClaimNames.join(", ")}`);
    }
    if (typeof value !== "string") throw new JobClaimsError(`claim "${name}" must be a string, got ${JSON.stringify(value)}`);
    if (numericClaims.includes(name) && !/^\d+$/.test(value)) {
      throw new JobClaimsError(`claim "${name}" must be digits, got ${JSON.stringify(value)}`);
    }
    const allowed = allowedValues[name];
    if (allowed && !allowed.includes(value)) {
      throw new JobClaimsError(`claim "${name}" must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
    }
  }
  const claims = given as Readonly<Record<string, string>>;
  const repository = claims.repository ?? defaultRepository;
  const [owner, name, ...rest] = repository.split("/");
  if (!owner || !name || rest.length > 0) {
    throw new JobClaimsError(`claim "repository" must look like owner/name, got ${JSON.stringify(repository)}`);
  }
  if (claims.repository_owner !== undefined && claims.repository_owner !== owner) {
    throw new JobClaimsError(`claim "repository_owner" must be the owner of ${repository}, got ${JSON.stringify(claims.repository_owner)}`);
  }
  const ref = claims.ref ?? "refs/heads/main";
  if (!ref.startsWith("refs/")) throw new JobClaimsError(`claim "ref" must start with refs/, got ${JSON.stringify(ref)}`);
  const eventName = claims.event_name ?? "push";
  const actor = claims.actor ?? owner;
  const sha = claims.sha ?? stableSha(repository, ref);
  const workflowRef = claims.workflow_ref ?? `${repository}/.github/workflows/ci.yml@${ref}`;
  const environment = claims.environment;
  const completed: Record<string, string> = {
    actor,
    actor_id: claims.actor_id ?? stableId(`user:${actor}`),
    base_ref: claims.base_ref ?? "",
    event_name: eventName,
    head_ref: claims.head_ref ?? "",
    job_workflow_ref: claims.job_workflow_ref ?? workflowRef,
    job_workflow_sha: claims.job_workflow_sha ?? sha,
    ref,
    ref_protected: claims.ref_protected ?? "false",
    ref_type: claims.ref_type ?? (ref.startsWith("refs/tags/") ? "tag" : "branch"),
    repository,
    repository_id: claims.repository_id ?? stableId(`repo:${repository}`),
    repository_owner: owner,
    repository_owner_id: claims.repository_owner_id ?? stableId(`owner:${owner}`),
    repository_visibility: claims.repository_visibility ?? "private",
    run_attempt: claims.run_attempt ?? "1",
    run_id: claims.run_id ?? stableId(`run:${repository}:${ref}`),
    run_number: claims.run_number ?? "1",
    runner_environment: claims.runner_environment ?? "github-hosted",
    sha,
    workflow: claims.workflow ?? "CI",
    workflow_ref: workflowRef,
    workflow_sha: claims.workflow_sha ?? sha,
    sub: claims.sub ?? defaultSubject(repository, environment, eventName, ref),
  };
  if (environment !== undefined) completed.environment = environment;
  if (claims.enterprise !== undefined) completed.enterprise = claims.enterprise;
  if (claims.enterprise_id !== undefined) completed.enterprise_id = claims.enterprise_id;
  return completed;
}

/** GitHub's default subject: the environment wins, then pull_request, then the ref. */
function defaultSubject(repository: string, environment: string | undefined, eventName: string, ref: string): string {
  if (environment !== undefined) return `repo:${repository}:environment:${environment}`;
  if (eventName === "pull_request") return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${ref}`;
}

/** The full token payload for one request: the job's claims plus the registered ones. */
export function tokenPayload(
  job: JobClaims,
  options: { readonly issuer: string; readonly audience: string | undefined; readonly nowSeconds: number; readonly jti: string },
): Record<string, unknown> {
  const iat = options.nowSeconds;
  return {
    jti: options.jti,
    ...job,
    aud: options.audience ?? `https://github.com/${job.repository_owner}`,
    iss: options.issuer,
    // GitHub's documented example: nbf ten minutes before iat, exp five minutes after.
    nbf: iat - 600,
    exp: iat + 300,
    iat,
  };
}
