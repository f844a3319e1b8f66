// Which grant of the head is which grant of the base. Content first (same principal, environment,
// paths and capabilities: the same grant even under a new id, so a rename never reads as
// remove + add), then the id, then principal + environment (so a widened grant reads as
// "changed", with its before and after). Ties go to the same id, then to id order. An id now held
// by someone else (another SSO group, another repository) is not the same grant: the old holder
// loses access and the new one gains it.
import type { GitHubOidcPrincipal, Grant, Principal } from "../document.ts";
import { compareClaims } from "../principal/claim-patterns.ts";
import { claimValues } from "../principal/facets.ts";
import { PrincipalTable } from "../canonical.ts";
import { compareText, sameTexts } from "../text-order.ts";

export interface GrantPair {
  readonly before: Grant | undefined;
  readonly after: Grant | undefined;
}

const byId = (a: Grant, b: Grant) => compareText(a.id, b.id);
const sortedById = (grants: readonly Grant[]) => (grants.every((grant, i) => i === 0 || grants[i - 1]!.id < grant.id) ? [...grants] : [...grants].sort(byId));

/** The same principal (see holderKey), environment, paths and capabilities: the same grant, whatever its id. */
const sameContent = (a: Grant, b: Grant) => sameTexts(a.paths, b.paths) && sameTexts(a.capabilities, b.capabilities);
const anyContent = () => true;

/** The same holder, perhaps with other conditions: the same group, or related repositories. */
function sameHolder(a: Principal, b: Principal): boolean {
  if (a === b) return true;
  if (a.kind === "sso-group") return b.kind === "sso-group" && a.group === b.group;
  if (a.kind === "kubernetes") return b.kind === "kubernetes" && a.cluster === b.cluster && a.namespace === b.namespace && a.serviceAccount === b.serviceAccount;
  if (b.kind !== "github-oidc" || a.issuer !== b.issuer) return false;
  return related(a, b, "repository") && related(a, b, "repository_owner");
}

const related = (a: GitHubOidcPrincipal, b: GitHubOidcPrincipal, claim: string) => compareClaims(claimValues(a, claim), claimValues(b, claim)) !== "different";

/** The base grant the head grant is matched with among those of its key: one with its id, else the first that fits. */
function choose(group: readonly Grant[] | undefined, grant: Grant, unmatched: ReadonlySet<Grant>, fits: (a: Grant, b: Grant) => boolean): Grant | undefined {
  if (!group) return undefined;
  let first: Grant | undefined;
  // Indexed: this runs per grant before the optimizing compiler sees it, and for-of makes an iterator result per item.
  for (let i = 0; i < group.length; i++) {
    const candidate = group[i]!;
    if (!unmatched.has(candidate) || !fits(candidate, grant) || !sameHolder(candidate.principal, grant.principal)) continue;
    if (candidate.id === grant.id) return candidate;
    first ??= candidate;
  }
  return first;
}

/**
 * One object per holder (equal principals in one environment), to key maps with: looked up by the
 * principal object, which the table resolves once, so no grant builds or hashes a text.
 */
function holderTokens(principals: PrincipalTable): (grant: Grant) => object {
  const byPrincipal = new Map<Principal, Map<string, object>>();
  return (grant) => {
    let environments = byPrincipal.get(grant.principal);
    if (!environments) {
      const shared = principals.shared(grant.principal);
      environments = byPrincipal.get(shared);
      if (!environments) byPrincipal.set(shared, (environments = new Map()));
      byPrincipal.set(grant.principal, environments);
    }
    let token = environments.get(grant.environment);
    if (!token) environments.set(grant.environment, (token = {}));
    return token;
  };
}

/** `principals`: the table the grants' principals were shared with, if any (equal ones are then one object). */
export function matchGrants(before: readonly Grant[], after: readonly Grant[], principals = new PrincipalTable()): GrantPair[] {
  const holderKey = holderTokens(principals);
  const passes = [
    { key: holderKey, fits: sameContent },
    { key: (grant: Grant) => grant.id, fits: anyContent },
    { key: holderKey, fits: anyContent },
  ];
  const baseGrants = sortedById(before);
  const unmatched = new Set(baseGrants);
  let waiting = sortedById(after);
  const pairs: GrantPair[] = [];
  // Indexed loops over the grants, in id order (unmatched is a Set only to ask and to delete).
  for (let p = 0; p < passes.length; p++) {
    const { key, fits } = passes[p]!;
    if (unmatched.size === 0 || waiting.length === 0) break;
    const candidates = new Map<object | string, Grant[]>();
    for (let i = 0; i < baseGrants.length; i++) {
      const grant = baseGrants[i]!;
      if (!unmatched.has(grant)) continue;
      const grantKey = key(grant);
      const group = candidates.get(grantKey);
      if (group) group.push(grant);
      else candidates.set(grantKey, [grant]);
    }
    const stillWaiting: Grant[] = [];
    for (let i = 0; i < waiting.length; i++) {
      const grant = waiting[i]!;
      const chosen = choose(candidates.get(key(grant)), grant, unmatched, fits);
      if (!chosen) {
        stillWaiting.push(grant);
        continue;
      }
      pairs.push({ before: chosen, after: grant });
      unmatched.delete(chosen);
    }
    waiting = stillWaiting;
  }
  for (let i = 0; i < baseGrants.length; i++) if (unmatched.has(baseGrants[i]!)) pairs.push({ before: baseGrants[i]!, after: undefined });
  for (let i = 0; i < waiting.length; i++) pairs.push({ before: undefined, after: waiting[i]! });
  const id = (pair: GrantPair) => (pair.after ?? pair.before)!.id;
  return pairs.sort((a, b) => compareText(id(a), id(b)) || compareText(a.before?.id ?? "", b.before?.id ?? ""));
}
