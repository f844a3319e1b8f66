// A job that a role's bound claims would admit, made to order: "a pull request of a repository
// this role trusts", "a push to an unprotected branch". Each claim the binding constrains and the
// scenario leaves open gets a value the binding accepts, so the question becomes whether the
// scenario's own claims get through.
import { completeClaims } from "../job-claims.ts";
import { vaultJwtAllows } from "../vault/jwt-role.ts";
import { infisicalOidcAllows } from "../infisical/oidc-identity.ts";
import type { Principal } from "../graph.ts";

/** A value a pattern accepts: the pattern with each `*` filled in. */
const sample = (pattern: string, glob: boolean) => (glob ? pattern.replaceAll("**", "kb-witness").replaceAll("*", "kb-witness") : pattern);

/** True when some CI job with `scenario`'s claims (others chosen freely) can log in as this principal. */
export function admits(principal: Principal, scenario: Readonly<Record<string, string>>): boolean {
  if (principal.kind === "jwt") return admitsWith(principal.binding, principal.binding.claimsType === "glob", scenario, (claims) => vaultJwtAllows(principal.binding, claims).allowed);
  if (principal.kind === "infisical-oidc") return admitsWith(principal.binding, true, scenario, (claims) => infisicalOidcAllows(principal.binding, claims).allowed);
  return false;
}

interface ClaimBinding {
  readonly audiences: readonly string[];
  readonly subject?: string;
  readonly claims: Readonly<Record<string, readonly string[]>>;
}

function admitsWith(binding: ClaimBinding, glob: boolean, scenario: Readonly<Record<string, string>>, allows: (claims: Record<string, unknown>) => boolean): boolean {
  const repositories = binding.claims.repository ?? subjectRepositories(binding) ?? [`${binding.claims.repository_owner?.[0] ?? "kb-owner"}/kb-witness`];
  for (const repositoryPattern of repositories) {
    const repository = sample(repositoryPattern, glob);
    const claims: Record<string, string> = { repository, ...scenario };
    for (const [name, values] of Object.entries(binding.claims)) {
      if (claims[name] === undefined && name !== "sub") claims[name] = sample(values[0]!, glob);
    }
    const complete = completeClaims(claims);
    // The audience is the job's to choose; the subject follows from the claims.
    const token = { ...complete, aud: binding.audiences[0] === undefined ? undefined : sample(binding.audiences[0], glob) };
    if (allows(token)) return true;
  }
  return false;
}

/** The repositories a subject binding names (`repo:acme/app:ref:…`), for roles bound on `sub` alone. */
function subjectRepositories(binding: ClaimBinding): string[] | undefined {
  const subjects = [...(binding.claims.sub ?? []), ...(binding.subject ? [binding.subject] : [])];
  const found = subjects.flatMap((subject) => subject.match(/^repo:([^:]+)(:|$)/)?.[1] ?? []);
  return found.length > 0 ? found : undefined;
}
