// Synth-time checks of a grant against its project: mistakes are errors that stop synth, risky
// but legal choices are warnings. Messages name the value and the fix; cdktf adds the construct path.
import type { Grant } from "../policy/document.ts";
import type { ErrorCode } from "../policy/errors/codes.ts";
import { pathMatchesAnySecret } from "../policy/paths.ts";
import { describeDuration } from "../policy/duration-text.ts";

export interface ProjectFacts {
  readonly name: string;
  readonly environments: ReadonlyArray<{ readonly name: string; readonly protected: boolean }>;
  readonly secrets: readonly string[];
}

const synthInvalid: ErrorCode = "KB_SYNTH_INVALID";

const minTtl = 60;
const maxTtl = 12 * 3600;
const maxMaxTtl = 24 * 3600;

export function grantProblems(grant: Grant, project: ProjectFacts): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const names = project.environments.map((environment) => environment.name);
  if (grant.environment !== "*" && !names.includes(grant.environment)) {
    errors.push(`environment "${grant.environment}" is not an environment of project ${project.name}; use one of ${names.join(", ") || "(none declared)"} or "*"`);
  }
  for (const path of grant.paths) {
    if (path !== "*" && !pathMatchesAnySecret(path, project.secrets)) {
      errors.push(`path "${path}" matches no secret of project ${project.name}; declare it with addSecret("${path.replace(/\/\*$/, "")}") or use one of ${project.secrets.join(", ") || "(none declared)"}`);
    }
  }
  if (grant.tokenTtlSeconds < minTtl || grant.tokenTtlSeconds > maxTtl) {
    errors.push(`tokenTtl ${describeDuration(grant.tokenTtlSeconds)} is out of bounds; give one between 1 minute and 12 hours`);
  }
  if (grant.tokenMaxTtlSeconds < grant.tokenTtlSeconds || grant.tokenMaxTtlSeconds > maxMaxTtl) {
    errors.push(`tokenMaxTtl ${describeDuration(grant.tokenMaxTtlSeconds)} is out of bounds; give one between tokenTtl (${describeDuration(grant.tokenTtlSeconds)}) and 24 hours`);
  }

  const { principal } = grant;
  const covered = project.environments.filter((environment) => grant.environment === "*" || environment.name === grant.environment);
  const protectedNames = covered.filter((environment) => environment.protected).map((environment) => environment.name);
  if (principal.kind === "github-oidc" && protectedNames.length > 0) {
    const where = `protected environment${protectedNames.length > 1 ? "s" : ""} ${protectedNames.join(", ")}`;
    if (!principal.claims.ref && !principal.claims.environment) {
      errors.push(`a grant on ${where} must bind a ref or a GitHub environment; give ref, refPattern or environment to GitHubOidc.repository()`);
    }
    const repositories = principal.claims.repository ?? [];
    if (repositories.length === 0 || repositories.some((repository) => repository.includes("*"))) {
      errors.push(`a grant on ${where} may not match a wildcard repository (${repositories.join(", ") || `owner ${principal.claims.repository_owner?.join(", ")}`}); name the repository`);
    }
    if (!principal.claims.runner_environment) warnings.push(`the grant on ${where} does not pin the runner; consider runner: "self-hosted"`);
    if (principal.claims.event_name?.includes("pull_request")) warnings.push(`the grant on ${where} accepts pull_request events`);
  }
  if (principal.kind === "github-oidc" && principal.match === "glob" && (principal.claims.ref ?? []).some((ref) => ref === "*" || ref === "refs/*")) {
    warnings.push("the ref pattern matches every branch and tag");
  }
  // cdktf prints each error after the construct path; the code leads the message it is given.
  return { errors: errors.map((error) => `${synthInvalid}: ${error}`), warnings };
}
