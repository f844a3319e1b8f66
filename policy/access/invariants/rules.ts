// The built-in access invariants. Each answers a question a security reviewer asks of every
// configuration, whatever the change: can a pull request, an unprotected branch or anyone at all
// reach production, and for how long do the tokens live.
import type { AccessRole } from "../graph.ts";
import { describePrincipal } from "../describe.ts";
import type { Invariant, InvariantContext, Violation } from "./invariant.ts";
import { admits } from "./witness.ts";

/** Every (role, protected path or rule) the role may read, with the policy chain. */
function protectedReads(context: InvariantContext, role: AccessRole): { path: string; chain: string }[] {
  const declared = context.query
    .reach(role)
    .filter((access) => access.capabilities.includes("read") && context.isProtected(access.path))
    .map((access) => ({ path: access.path, chain: `${access.policies.join("+")}: path "${access.pattern}"` }));
  if (declared.length > 0) return declared;
  // Without declared secrets under it, a rule that grants read on a protected pattern is the finding.
  return context.query.rules(role).filter((rule) => rule.capabilities.includes("read") && context.isProtected(rule.pattern)).map((rule) => ({ path: rule.pattern, chain: `${rule.policy}: path "${rule.pattern}"` }));
}

function violationsWhere(context: InvariantContext, scenario: Readonly<Record<string, string>>, words: string): Violation[] {
  return context.graph.roles.flatMap((role) => {
    if (!admits(role.principal, scenario)) return [];
    return protectedReads(context, role).map(({ path, chain }) => ({
      role,
      path,
      detail: `${words} can read ${path}: ${describePrincipal(role.principal)} → ${role.id} (${role.source}) → ${chain}`,
    }));
  });
}

export const pullRequestReadsProtected: Invariant = {
  id: "KB201",
  level: "critical",
  title: "A pull request can read a protected path",
  why: "A pull request runs code its author wrote before anyone reviewed it; if its job can log in to a role that reads production, so can that author.",
  check: (context) => violationsWhere(context, { event_name: "pull_request", ref: "refs/pull/1/merge", ref_protected: "false" }, "a pull_request job"),
};

export const unprotectedRefReadsProtected: Invariant = {
  id: "KB202",
  level: "high",
  title: "An unprotected branch can read a protected path",
  why: "Anyone who can push a branch can run a workflow on it; production paths should be readable only from protected refs or environments with their own protection rules.",
  check: (context) => violationsWhere(context, { event_name: "push", ref: "refs/heads/kb-witness-branch", ref_protected: "false" }, "a push to an unprotected branch"),
};

export const anyRepository: Invariant = {
  id: "KB203",
  level: "high",
  title: "A role admits any repository",
  why: "A role that binds no repository, owner or subject (or only `*`) trusts every repository on GitHub that can request a token for its audience.",
  check: (context) =>
    context.graph.roles.flatMap((role) => {
      const outsider = { repository: "kb-outsider/kb-witness", repository_owner: "kb-outsider", repository_id: "999999999", repository_owner_id: "999999998" };
      if (!admits(role.principal, outsider)) return [];
      return [{ role, detail: `${role.id} (${role.source}) admits ${describePrincipal(role.principal)}: bind repository, repository_owner or sub` }];
    }),
};

export const longLivedTokens: Invariant = {
  id: "KB204",
  level: "medium",
  title: "Tokens outlive the limit",
  why: "A CI token should die with its job; a role with no TTL gets the backend's default (32 days on Vault), and a long TTL keeps a leaked token useful.",
  check: (context) =>
    context.graph.roles.flatMap((role) => {
      if (role.principal.kind === "user" || role.principal.kind === "sso-group" || role.principal.kind === "github-team" || role.principal.kind === "oidc-login") return [];
      const ttl = role.maxTtlSeconds ?? role.ttlSeconds;
      if (ttl !== undefined && ttl <= context.settings.maxTtlSeconds) return [];
      const what = ttl === undefined ? "sets no token TTL (the backend default applies)" : `lets tokens live ${ttl}s`;
      return [{ role, detail: `${role.id} (${role.source}) ${what}; the limit is ${context.settings.maxTtlSeconds}s` }];
    }),
};

export const builtInInvariants: readonly Invariant[] = [pullRequestReadsProtected, unprotectedRefReadsProtected, anyRepository, longLivedTokens];
