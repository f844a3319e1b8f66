// What a change lets jobs do that they could not before, in one shape for the rules: the access a
// new grant brings, the access a grant's wider scope brings, or everything a grant covers when its
// principal now admits other jobs.
import type { AccessEntry, ChangeKind, ConstraintChange, PolicyChange } from "../diff/change.ts";
import { principalConstraints } from "../diff/constraints.ts";
import { describeAccess } from "../diff/wording.ts";
import type { Grant, Principal } from "../document.ts";
import { joinPhrases, phrase, type Phrase } from "../phrase.ts";

export interface NewAccess {
  readonly source: "new grant" | "wider scope" | "wider principal";
  readonly project: string;
  readonly grant: Grant;
  /** Who gains: the head grant's principal. */
  readonly principal: Principal;
  /** The base principal, for a wider principal. */
  readonly before: Principal | undefined;
  readonly constraints: readonly ConstraintChange[];
  readonly entries: readonly AccessEntry[];
}

/** The kinds of change that can bring new access. */
export const newAccessKinds = ["access.granted", "access.widened", "principal.widened"] as const satisfies readonly ChangeKind[];

/** Several rules ask about the same change, one after another: the last answer is kept. */
let last: { readonly change: PolicyChange; readonly gain: NewAccess | undefined } | undefined;

export function newAccess(change: PolicyChange): NewAccess | undefined {
  if (last?.change !== change) last = { change, gain: gainOf(change) };
  return last.gain;
}

function gainOf(change: PolicyChange): NewAccess | undefined {
  if (change.kind === "principal.widened") {
    const { grantAfter: grant, grantBefore, constraints, access: entries } = change;
    return { source: "wider principal", project: change.project!, grant, principal: grant.principal, before: grantBefore.principal, constraints, entries };
  }
  if ((change.kind !== "access.granted" && change.kind !== "access.widened") || !change.grantAfter || change.access.length === 0) return undefined;
  // A grant whose principal also widened is judged on that change, which covers all its access.
  if (change.grantBefore && principalConstraints(change.grantBefore.principal, change.grantAfter.principal).some((c) => c.comparison !== "narrower")) {
    return undefined;
  }
  const source = change.kind === "access.granted" ? "new grant" : "wider scope";
  return { source, project: change.project!, grant: change.grantAfter, principal: change.grantAfter.principal, before: undefined, constraints: [], entries: change.access };
}

export const onProtected = (entries: readonly AccessEntry[]) => entries.filter((entry) => entry.protected);
export const reads = (entries: readonly AccessEntry[]) => entries.filter((entry) => entry.capability === "read");
export const writes = (entries: readonly AccessEntry[]) => entries.filter((entry) => entry.capability === "write" || entry.capability === "delete");

/** "read `p/prod/db`", in the gain's project. */
export const accessWords = (gain: NewAccess, entries: readonly AccessEntry[]) => describeAccess(gain.project, entries);

/**
 * The end of a reason, saying where the gain comes from: "(new grant `x`)", "(grant `x` now
 * covers it)", and for a wider principal either what the rule compares ("(before: only
 * `refs/heads/main`)") or which claims changed.
 */
export function origin(gain: NewAccess, before?: (principal: Principal) => Phrase): Phrase {
  if (gain.before && before) return phrase` (before: ${before(gain.before)})`;
  if (gain.before) return phrase` (grant ${gain.grant.id} changed ${joinPhrases(gain.constraints.map((constraint) => phrase`${constraint.constraint}`))})`;
  return gain.source === "new grant" ? phrase` (new grant ${gain.grant.id})` : phrase` (grant ${gain.grant.id} now covers it)`;
}
