// How the principal of a matched grant changed, claim by claim: wider (admits every job it did and
// more), narrower, or different (admits some other jobs). Issuer, audience and SSO group are
// compared as exact values.
import type { Principal } from "../document.ts";
import { compareClaims } from "../principal/claim-patterns.ts";
import { claimValues } from "../principal/facets.ts";
import type { ConstraintChange } from "./change.ts";

function exactly(constraint: string, before: string, after: string): ConstraintChange[] {
  return before === after ? [] : [{ constraint, before: [before], after: [after], comparison: "different" }];
}

export function principalConstraints(before: Principal, after: Principal): ConstraintChange[] {
  if (before.kind === "sso-group" || after.kind === "sso-group") {
    if (before.kind === "sso-group" && after.kind === "sso-group") return exactly("group", before.group, after.group);
    const label = (principal: Principal) => (principal.kind === "sso-group" ? `sso-group ${principal.group}` : "github-oidc");
    return exactly("principal", label(before), label(after));
  }
  const claims = [...new Set([...Object.keys(before.claims), ...Object.keys(after.claims)])].sort();
  const changed: ConstraintChange[] = [...exactly("issuer", before.issuer, after.issuer), ...exactly("audience", before.audience, after.audience)];
  for (const claim of claims) {
    const comparison = compareClaims(claimValues(before, claim), claimValues(after, claim));
    if (comparison !== "same") changed.push({ constraint: claim, before: before.claims[claim], after: after.claims[claim], comparison });
  }
  return changed;
}
