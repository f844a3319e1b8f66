// The properties of a principal that risk rules reason about: is it bound to a ref or a GitHub
// environment, how many repositories it admits, whether pull_request jobs get in, whether the
// runner and the reusable workflow are pinned. Derived from claims (and from `sub`, which GitHub
// writes as `repo:OWNER/REPO:CONTEXT`).
import type { GitHubOidcPrincipal, Principal } from "../document.ts";
import { isWildcard, valueMatches, type ClaimValues } from "./claim-patterns.ts";

/** repository: named repositories; wildcard: a repository pattern; organization: an owner; any: anyone's. */
export type RepositoryScope = "repository" | "wildcard" | "organization" | "any";

export interface PrincipalFacets {
  readonly oidc: boolean;
  readonly refBound: boolean;
  readonly environmentBound: boolean;
  /** Bound to exact refs or exact GitHub environments: not reachable from any branch. */
  readonly bound: boolean;
  readonly repositoryScope: RepositoryScope;
  readonly admitsPullRequest: boolean;
  readonly runnerPinned: boolean;
  readonly workflowPinned: boolean;
}

export function claimValues(principal: GitHubOidcPrincipal, claim: string): ClaimValues | undefined {
  const values = principal.claims[claim];
  return values === undefined ? undefined : { values, glob: principal.match === "glob" };
}

/** Constrained, to values with no wildcard. A loop: facets are made for every principal of a plan. */
function exact(claim: ClaimValues | undefined): boolean {
  if (claim === undefined) return false;
  for (let i = 0; i < claim.values.length; i++) if (isWildcard(claim.values[i]!, claim.glob)) return false;
  return true;
}

interface Subject {
  readonly repository: string;
  readonly context: string | undefined;
}

/** `repo:acme/app:ref:refs/heads/main` → repository and context; custom templates keep their tail as the context. */
function subjects(principal: GitHubOidcPrincipal): Subject[] | undefined {
  return principal.claims.sub?.map((value) => {
    const rest = value.startsWith("repo:") ? value.slice(5) : value;
    const colon = rest.indexOf(":");
    return colon < 0 ? { repository: rest, context: undefined } : { repository: rest.slice(0, colon), context: rest.slice(colon + 1) };
  });
}

function subjectsBind(principal: GitHubOidcPrincipal, prefix: string): boolean {
  const subs = subjects(principal);
  const glob = principal.match === "glob";
  return subs !== undefined && subs.every((sub) => sub.context !== undefined && sub.context.startsWith(prefix) && !isWildcard(sub.context, glob) && !isWildcard(sub.repository, glob));
}

const organizationClaims = ["repository_owner", "repository_owner_id", "enterprise", "enterprise_id"];

function repositoryScope(principal: GitHubOidcPrincipal): RepositoryScope {
  const glob = principal.match === "glob";
  const repositories = claimValues(principal, "repository");
  if (repositories) return exact(repositories) ? "repository" : "wildcard";
  if (exact(claimValues(principal, "repository_id"))) return "repository";
  const subs = subjects(principal);
  if (subs) return subs.every((sub) => !isWildcard(sub.repository, glob) && sub.context !== undefined) ? "repository" : "wildcard";
  for (let i = 0; i < organizationClaims.length; i++) if (principal.claims[organizationClaims[i]!]) return "organization";
  return "any";
}

/** Would a `pull_request` job (ref refs/pull/N/merge, no environment) match? */
function admitsPullRequest(principal: GitHubOidcPrincipal): boolean {
  const accepts = (claim: string, sample: string | undefined) => {
    const values = claimValues(principal, claim);
    if (values === undefined) return true;
    return sample !== undefined && valueMatches(values, sample);
  };
  const events = claimValues(principal, "event_name");
  if (events && valueMatches(events, "pull_request_target")) return true;
  const environment = claimValues(principal, "environment");
  const subs = subjects(principal);
  const glob = principal.match === "glob";
  const subAccepts =
    subs === undefined ||
    principal.claims.sub!.some((value, i) => valueMatches({ values: [value], glob }, `repo:${subs[i]!.repository.replaceAll("*", "x")}:pull_request`));
  return (
    accepts("event_name", "pull_request") &&
    accepts("ref", "refs/pull/1/merge") &&
    (environment === undefined || !exact(environment)) &&
    subAccepts
  );
}

const notOidcFacets: PrincipalFacets = { oidc: false, refBound: true, environmentBound: true, bound: true, repositoryScope: "repository", admitsPullRequest: false, runnerPinned: true, workflowPinned: true };

/** Facets by principal object: every risk rule asks for them, for every change of a plan. */
const facetsOf = new WeakMap<Principal, PrincipalFacets>();

export function principalFacets(principal: Principal): PrincipalFacets {
  // A group of people, or one service account of one cluster: neither is reachable from a branch.
  if (principal.kind !== "github-oidc") return notOidcFacets;
  let facets = facetsOf.get(principal);
  if (facets === undefined) {
    facets = oidcFacets(principal);
    facetsOf.set(principal, facets);
  }
  return facets;
}

function oidcFacets(principal: GitHubOidcPrincipal): PrincipalFacets {
  const refBound = exact(claimValues(principal, "ref")) || subjectsBind(principal, "ref:");
  const environmentBound = exact(claimValues(principal, "environment")) || subjectsBind(principal, "environment:");
  return {
    oidc: true,
    refBound,
    environmentBound,
    bound: refBound || environmentBound,
    repositoryScope: repositoryScope(principal),
    admitsPullRequest: admitsPullRequest(principal),
    runnerPinned: exact(claimValues(principal, "runner_environment")),
    workflowPinned: exact(claimValues(principal, "job_workflow_ref")),
  };
}

const scopeRank: Record<RepositoryScope, number> = { repository: 0, wildcard: 1, organization: 1, any: 2 };

export const isWideScope = (scope: RepositoryScope) => scopeRank[scope] > 0;
export const widerScope = (after: RepositoryScope, before: RepositoryScope) => scopeRank[after] > scopeRank[before];
