// A principal in a reviewer's words: who it admits ("`acme/training`", "any repository of
// `acme`", "SSO group `okta:admins`") and where it is bound ("on any branch", "on
// `refs/heads/main`", "in environment `prod`").
import type { GitHubOidcPrincipal, Principal } from "../document.ts";
import { joinPhrases, nameList, phrase, type Phrase } from "../phrase.ts";
import { isWildcard } from "./claim-patterns.ts";

const orList = (values: readonly string[]) => nameList(values, 3, " or ");
const hasWildcard = (principal: GitHubOidcPrincipal, values: readonly string[]) => values.some((value) => isWildcard(value, principal.match === "glob"));

function subjectRepositories(principal: GitHubOidcPrincipal): string[] {
  return [...new Set((principal.claims.sub ?? []).map((value) => value.replace(/^repo:/, "").split(":")[0]!))];
}

/** Wording by principal object: a plan words the same shared principal (see canonicalize) many times. */
function remembered<T>(derive: (principal: Principal) => T): (principal: Principal) => T {
  const known = new WeakMap<Principal, T>();
  return (principal) => {
    let value = known.get(principal);
    if (value === undefined) {
      value = derive(principal);
      known.set(principal, value);
    }
    return value;
  };
}

export const who = remembered(whoOf);

function whoOf(principal: Principal): Phrase {
  if (principal.kind === "sso-group") return phrase`SSO group ${principal.group}`;
  if (principal.kind === "kubernetes") return phrase`service account ${`${principal.namespace}/${principal.serviceAccount}`} in cluster ${principal.cluster}`;
  const repositories = principal.claims.repository ?? (principal.claims.sub ? subjectRepositories(principal) : undefined);
  if (repositories) return hasWildcard(principal, repositories) ? phrase`repositories matching ${orList(repositories)}` : orList(repositories);
  const owners = principal.claims.repository_owner ?? principal.claims.repository_owner_id;
  if (owners) return phrase`any repository of ${orList(owners)}`;
  const enterprise = principal.claims.enterprise ?? principal.claims.enterprise_id;
  if (enterprise) return phrase`any repository of enterprise ${orList(enterprise)}`;
  return ["any GitHub repository"];
}

export interface Binding {
  /** "on `refs/heads/main`", "on any branch", "in environment `prod`". */
  readonly on: Phrase;
  /** For "(before: …)": "only `refs/heads/main`", "any branch". */
  readonly only: Phrase;
}

interface Part {
  readonly preposition: string;
  readonly words: Phrase;
  readonly exact: boolean;
}

const knownRefGlobs: Readonly<Record<string, string>> = { "refs/heads/*": "any branch", "refs/tags/*": "any tag", "refs/*": "any ref", "*": "any ref" };

function parts(principal: GitHubOidcPrincipal): Part[] {
  const found: Part[] = [];
  const { ref: refs, environment: environments, sub: subs } = principal.claims;
  if (refs) {
    const wild = hasWildcard(principal, refs);
    const known = refs.length === 1 ? knownRefGlobs[refs[0]!] : undefined;
    found.push({ preposition: "on ", words: !wild ? orList(refs) : known ? [known] : phrase`refs matching ${orList(refs)}`, exact: !wild });
  }
  if (environments) {
    const wild = hasWildcard(principal, environments);
    found.push({ preposition: "in ", words: wild ? phrase`environments matching ${orList(environments)}` : phrase`environment ${orList(environments)}`, exact: !wild });
  }
  if (found.length === 0 && subs) {
    const wild = hasWildcard(principal, subs);
    found.push({ preposition: "with ", words: wild ? phrase`subjects matching ${orList(subs)}` : phrase`subject ${orList(subs)}`, exact: !wild });
  }
  return found;
}

export const binding = remembered(bindingOf);

function bindingOf(principal: Principal): Binding {
  if (principal.kind === "sso-group") return { on: [], only: ["people of the group"] };
  if (principal.kind === "kubernetes") return { on: [], only: ["workloads of the service account"] };
  const found = parts(principal);
  if (found.length === 0) return { on: ["on any ref"], only: ["any ref"] };
  const on = joinPhrases(found.map((part) => [part.preposition, ...part.words]), [" "], [" "]);
  const rest = found.slice(1).map((part): Phrase => [" ", part.preposition, ...part.words]);
  const only: Phrase = [...(found.every((part) => part.exact) ? ["only "] : []), ...found[0]!.words, ...rest.flat()];
  return { on, only };
}

/** "`acme/training` on `refs/heads/main`", "SSO group `okta:admins`". */
export const holder = remembered(holderOf);

function holderOf(principal: Principal): Phrase {
  const on = binding(principal).on;
  return on.length > 0 ? [...who(principal), " ", ...on] : who(principal);
}
