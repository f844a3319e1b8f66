// A principal in a reviewer's words: "acme/training on refs/heads/main, environment prod,
// self-hosted runner"; "service account ml/trainer"; "AppRole ci-deploy".
import type { Principal } from "./graph.ts";

/** Claims a reviewer reads as "where", in the order they read them. */
const placeClaims: ReadonlyArray<readonly [claim: string, label: string]> = [
  ["ref", "on"],
  ["environment", "environment"],
  ["event_name", "event"],
  ["job_workflow_ref", "workflow"],
  ["runner_environment", "runner"],
];

export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case "approle":
      return `AppRole ${principal.role}`;
    case "kubernetes":
      return principal.cluster === undefined
        ? `service account ${either(principal.serviceAccounts)} in namespace ${either(principal.namespaces)}`
        : `service account ${either(principal.namespaces.flatMap((namespace) => principal.serviceAccounts.map((name) => `${namespace}/${name}`)))} in cluster ${principal.cluster}`;
    case "user":
      return `${principal.method} user ${either(principal.names)}`;
    case "github-team":
      return `GitHub ${principal.organization ? `${principal.organization} ` : ""}${either(principal.teams)}`;
    case "sso-group":
      return `SSO group ${either(principal.groups)}`;
    case "jwt":
      return describeJwt(principal.binding);
    case "oidc-login":
      return `people signing in through OIDC as ${describeJwt(principal.binding)}`;
    case "infisical-oidc":
      return `${describeJwt({ audiences: principal.binding.audiences, subject: principal.binding.subject, claims: principal.binding.claims, claimsType: "glob" })} (identity ${principal.identity})`;
    case "infisical-kubernetes":
      return `service account ${either(principal.serviceAccounts)} in namespace ${either(principal.namespaces)} (identity ${principal.identity})`;
    case "infisical-universal":
      return `holders of a client secret of identity ${principal.identity}`;
  }
}

function describeJwt(binding: Extract<Principal, { kind: "jwt" }>["binding"]): string {
  const claims = binding.claims;
  const glob = binding.claimsType === "glob";
  const who = claims.repository ? either(claims.repository, glob)
    : claims.repository_owner ? `any repository of ${either(claims.repository_owner, glob)}`
    : claims.sub ? `subject ${either(claims.sub, glob)}`
    : binding.subject ? `subject ${binding.subject}`
    : "any token of the issuer";
  const where = placeClaims.flatMap(([claim, label]) => (claims[claim] ? [`${label} ${either(claims[claim]!, glob)}`] : []));
  const other = Object.keys(claims).filter((claim) => !["repository", "repository_owner", "sub", ...placeClaims.map(([name]) => name)].includes(claim) || (claim === "sub" && (claims.repository || claims.repository_owner)));
  const rest = other.map((claim) => `${claim} ${either(claims[claim]!, glob)}`);
  return [who, ...where, ...rest].join(", ");
}

/** "a", "a or b"; a glob with `*` reads as "matching …". */
function either(values: readonly string[], glob = false): string {
  const words = values.map((value) => (glob && value.includes("*") ? `matching ${value}` : value));
  return words.length === 0 ? "(none)" : words.join(" or ");
}
