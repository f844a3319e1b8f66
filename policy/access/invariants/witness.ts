// A job that a role's bound claims would admit, made to order: "a pull request of a repository
// this role trusts", "a push to an unprotected branch". Each claim the binding constrains and the
// scenario leaves open gets a value the binding accepts, so the question becomes whether the
// scenario's own claims get through.
import { completeClaims } from "../job-claims.ts";
import { vaultJwtAllows, type VaultJwtBinding } from "../vault/jwt-role.ts";

/** A value a pattern accepts: the pattern with each `*` filled in. */
const sample = (pattern: string, glob: boolean) => (glob ? pattern.replaceAll("*", "kb-witness") : pattern);

/** True when some job with `scenario`'s claims (others chosen freely) passes the binding. */
export function admits(binding: VaultJwtBinding, scenario: Readonly<Record<string, string>>): boolean {
  const glob = binding.claimsType === "glob";
  const repositories = binding.claims.repository ?? subjectRepositories(binding) ?? [`${binding.claims.repository_owner?.[0] ?? "kb-owner"}/kb-witness`];
  for (const repositoryPattern of repositories) {
    const repository = sample(repositoryPattern, glob);
    const claims: Record<string, string> = { repository, ...scenario };
    for (const [name, values] of Object.entries(binding.claims)) {
      if (claims[name] === undefined && name !== "sub") claims[name] = sample(values[0]!, glob);
    }
    const complete = completeClaims(claims);
    // The audience is the job's to choose; the subject follows from the claims.
    const token = { ...complete, aud: binding.audiences[0] ?? undefined };
    if (vaultJwtAllows(binding, token).allowed) return true;
  }
  return false;
}

/** The repositories a subject binding names (`repo:acme/app:ref:…`), for roles bound on `sub` alone. */
function subjectRepositories(binding: VaultJwtBinding): string[] | undefined {
  const subjects = [...(binding.claims.sub ?? []), ...(binding.subject ? [binding.subject] : [])];
  const found = subjects.flatMap((subject) => subject.match(/^repo:([^:]+)(:|$)/)?.[1] ?? []);
  return found.length > 0 ? found : undefined;
}
