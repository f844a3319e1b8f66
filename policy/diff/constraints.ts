// How the principal of a matched grant changed, claim by claim: wider (admits every job it did and
// more), narrower, or different (admits some other jobs). Issuer, audience and SSO group are
// compared as exact values.
import type { Principal } from "../document.ts";
import { compareClaims } from "../principal/claim-patterns.ts";
import { claimValues } from "../principal/facets.ts";
import type { ConstraintChange } from "./change.ts";
import { sortTexts } from "../text-order.ts";

function exactly(constraint: string, before: string, after: string): ConstraintChange[] {
  return before === after ? [] : [{ constraint, before: [before], after: [after], comparison: "different" }];
}

function kindLabel(principal: Principal): string {
  if (principal.kind === "sso-group") return `sso-group ${principal.group}`;
  if (principal.kind === "kubernetes") return `kubernetes ${principal.cluster}/${principal.namespace}/${principal.serviceAccount}`;
  return "github-oidc";
}

/** By principal pair: a diff shares one object per distinct principal (see canonicalize), and rules ask again. */
const compared = new WeakMap<Principal, WeakMap<Principal, readonly ConstraintChange[]>>();

export function principalConstraints(before: Principal, after: Principal): readonly ConstraintChange[] {
  if (before === after) return [];
  let byAfter = compared.get(before);
  if (!byAfter) compared.set(before, (byAfter = new WeakMap()));
  let changes = byAfter.get(after);
  if (!changes) byAfter.set(after, (changes = constraintsOf(before, after)));
  return changes;
}

function constraintsOf(before: Principal, after: Principal): ConstraintChange[] {
  if (before.kind === "kubernetes" && after.kind === "kubernetes") {
    return [...exactly("cluster", before.cluster, after.cluster), ...exactly("namespace", before.namespace, after.namespace), ...exactly("serviceAccount", before.serviceAccount, after.serviceAccount)];
  }
  if (before.kind !== "github-oidc" || after.kind !== "github-oidc") {
    if (before.kind === "sso-group" && after.kind === "sso-group") return exactly("group", before.group, after.group);
    return exactly("principal", kindLabel(before), kindLabel(after));
  }
  // Loops and no spreads: a plan compares the principals of thousands of changed grants.
  const claims = Object.keys(before.claims);
  const added = Object.keys(after.claims);
  for (let i = 0; i < added.length; i++) if (!Object.hasOwn(before.claims, added[i]!)) claims.push(added[i]!);
  sortTexts(claims);
  const changed = exactly("issuer", before.issuer, after.issuer).concat(exactly("audience", before.audience, after.audience));
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i]!;
    const comparison = compareClaims(claimValues(before, claim), claimValues(after, claim));
    if (comparison !== "same") changed.push({ constraint: claim, before: before.claims[claim], after: after.claims[claim], comparison });
  }
  return changed;
}
