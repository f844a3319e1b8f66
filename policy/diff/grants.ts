// The changes of one grant between base and head: a new or removed grant, or for a matched pair
// its rename, principal, scope, token lifetimes and acknowledgements, in that order.
import type { Grant, Principal } from "../document.ts";
import { describeDuration, describeDurationChange } from "../duration-text.ts";
import { withWords } from "../lazy-words.ts";
import { joinPhrases, nameList, phrase, quote, type Phrase } from "../phrase.ts";
import { holder, who } from "../principal/describe.ts";
import { grantAccess, withoutAccess, type ProjectScope } from "./access.ts";
import type { AccessEntry, ConstraintChange, PolicyChange } from "./change.ts";
import { principalConstraints } from "./constraints.ts";
import type { GrantPair } from "./match-grants.ts";
import { describeAccess, grantWording } from "./wording.ts";
import { sameTexts } from "../text-order.ts";

/**
 * One side (base or head) of a project: what exists, and what each principal holds. Its principals
 * are the diff's shared ones (see PrincipalTable): equal principals are one object, on both sides.
 */
export interface ProjectSide {
  readonly scope: ProjectScope;
  readonly held: ReadonlyMap<Principal, readonly Grant[]>;
}

const values = (list: readonly string[] | undefined): Phrase => (list === undefined ? ["any"] : nameList(list, 3, " or "));

function constraintSide(constraints: readonly ConstraintChange[], side: "before" | "after"): Phrase {
  return joinPhrases(constraints.map((change) => phrase`${change.constraint} ${values(change[side])}`), ["; "], ["; "]);
}

function granted(project: string, grant: Grant, base: ProjectSide, head: ProjectSide): PolicyChange {
  const access = withoutAccess(grantAccess(grant, head.scope), base.scope, undefined, base.held.get(grant.principal) ?? []);
  const change = { kind: "access.granted", project, environment: grant.environment, grant: grant.id, headGrant: grant.id, before: [], grantBefore: undefined, grantAfter: grant, access } as const;
  return withWords(change, {
    summary: () =>
      access.length > 0
        ? phrase`${holder(grant.principal)} may now ${describeAccess(project, access)} (new grant ${grant.id})`
        : phrase`new grant ${grant.id} gives ${who(grant.principal)} nothing new: other grants already allow it`,
    after: () => grantWording(project, grant),
  });
}

function revoked(project: string, grant: Grant, base: ProjectSide, head: ProjectSide): PolicyChange {
  const all = grantAccess(grant, base.scope);
  const access = withoutAccess(all, head.scope, undefined, head.held.get(grant.principal) ?? []);
  const change = { kind: "access.revoked", project, environment: grant.environment, grant: grant.id, after: [], grantBefore: grant, grantAfter: undefined, access } as const;
  return withWords(change, {
    summary: () =>
      access.length === 0
        ? phrase`grant ${grant.id} removed; ${who(grant.principal)} keeps its access through other grants`
        : access.length === all.length
          ? phrase`${who(grant.principal)} loses ${grantWording(project, grant)} (grant ${grant.id} removed)`
          : phrase`${who(grant.principal)} loses ${describeAccess(project, access, { on: true })} (grant ${grant.id} removed)`,
    before: () => grantWording(project, grant),
  });
}

const lifetimes = [
  { field: "tokenTtlSeconds", words: "token lifetime", longer: "token-ttl.increased", shorter: "token-ttl.decreased" },
  { field: "tokenMaxTtlSeconds", words: "maximum token lifetime", longer: "token-max-ttl.increased", shorter: "token-max-ttl.decreased" },
] as const;

function addLifetimeChanges(changes: PolicyChange[], where: Where, before: Grant, after: Grant): void {
  // Indexed, no array destructuring: this runs per matched grant, mostly before it is optimized,
  // where both walk the iterator protocol.
  for (let i = 0; i < lifetimes.length; i++) {
    const { field, words, longer, shorter } = lifetimes[i]!;
    const was = before[field];
    const now = after[field];
    if (was === now) continue;
    const grows = now > was;
    const change = {
      kind: grows ? longer : shorter, project: where.project, environment: where.environment, grant: where.grant, headGrant: where.headGrant,
      before: [describeDuration(was)], after: [describeDuration(now)], secondsBefore: was, secondsAfter: now,
    };
    changes.push(withWords(change, { summary: () => phrase`${[words]} for ${after.id} ${[grows ? "grows" : "shrinks"]} ${[describeDurationChange(was, now)]}` }));
  }
}

function addAcknowledgementChanges(changes: PolicyChange[], where: Where, before: Grant | undefined, after: Grant): void {
  if (after.acknowledgements.length === 0 && !before?.acknowledgements.length) return;
  const key = (ack: Grant["acknowledgements"][number]) => `${ack.rule}\u0000${ack.reason}`;
  const had = new Set((before?.acknowledgements ?? []).map(key));
  const has = new Set(after.acknowledgements.map(key));
  const added = after.acknowledgements.filter((ack) => !had.has(key(ack))).map((ack): PolicyChange => ({
    kind: "acknowledgement.added", ...where, rule: ack.rule, reason: ack.reason, before: [], after: [quote(ack.reason)],
    summary: phrase`grant ${after.id} acknowledges ${ack.rule}: ${quote(ack.reason)}`,
  }));
  const removed = (before?.acknowledgements ?? []).filter((ack) => !has.has(key(ack))).map((ack): PolicyChange => ({
    kind: "acknowledgement.removed", ...where, rule: ack.rule, reason: ack.reason, before: [quote(ack.reason)], after: [],
    summary: phrase`grant ${after.id} no longer acknowledges ${ack.rule}`,
  }));
  changes.push(...added, ...removed);
}

/**
 * Which grant a change concerns. The changes made per grant spell its fields out rather than
 * spread it: a literal that spreads an object and then gets more keys is built key by key, and
 * plans build tens of thousands, mostly before V8 optimizes the code.
 */
interface Where {
  readonly project: string;
  readonly environment: string;
  readonly grant: string;
  readonly headGrant: string;
}

const noEntries: readonly AccessEntry[] = [];

const sameWording = (a: Grant, b: Grant) => a.environment === b.environment && sameTexts(a.paths, b.paths) && sameTexts(a.capabilities, b.capabilities);

/** A matched grant whose scope reads differently: both wordings of the grant, made when read. */
function scopeChange(kind: "access.widened" | "access.narrowed" | "grant.reworded", project: string, where: Where, before: Grant, after: Grant, access: readonly AccessEntry[] | undefined, summary: () => Phrase): PolicyChange {
  const { environment, grant, headGrant } = where;
  const change = access
    ? { kind, project, environment, grant, headGrant, grantBefore: before, grantAfter: after, access }
    : { kind, project, environment, grant, headGrant, grantBefore: before, grantAfter: after };
  return withWords(change, { summary, before: () => grantWording(project, before), after: () => grantWording(project, after) }) as PolicyChange;
}

function addPairChanges(changes: PolicyChange[], project: string, before: Grant, after: Grant, base: ProjectSide, head: ProjectSide): void {
  const where: Where = { project, environment: after.environment, grant: after.id, headGrant: after.id };
  if (before.id !== after.id) {
    const summary = phrase`grant ${before.id} renamed to ${after.id}: same jobs, same secrets`;
    changes.push({ kind: "grant.renamed", ...where, summary, before: phrase`${before.id}`, after: phrase`${after.id}`, idBefore: before.id, idAfter: after.id });
  }
  const constraints = principalConstraints(before.principal, after.principal);
  // The same wording in the same scope (see diffPolicies) gives the same access: nothing to expand.
  const sameAccess = base.scope === head.scope && sameWording(before, after);
  const headAccess = sameAccess && constraints.length === 0 ? noEntries : grantAccess(after, head.scope);
  if (constraints.length > 0) {
    const widened = constraints.some((change) => change.comparison !== "narrower");
    const admits = !widened ? "fewer" : constraints.every((change) => change.comparison === "wider") ? "more" : "other";
    const kind = widened ? "principal.widened" : "principal.narrowed";
    const change = { kind, project, environment: where.environment, grant: where.grant, headGrant: where.headGrant, grantBefore: before, grantAfter: after, constraints, access: headAccess } as const;
    changes.push(withWords(change, {
      summary: () => phrase`grant ${after.id} of ${who(after.principal)} admits ${[admits]} jobs (${joinPhrases(constraints.map((constraint) => phrase`${constraint.constraint}`))} changed)`,
      before: () => constraintSide(constraints, "before"),
      after: () => constraintSide(constraints, "after"),
    }));
  }
  const gained = sameAccess ? noEntries : withoutAccess(headAccess, base.scope, before, base.held.get(after.principal) ?? []);
  // Access to a secret or environment that no longer exists is reported with its removal.
  const lost = sameAccess
    ? noEntries
    : withoutAccess(grantAccess(before, base.scope), head.scope, after, head.held.get(before.principal) ?? []).filter(
        (entry) => head.scope.environments.has(entry.environment) && head.scope.secrets.has(entry.secret),
      );
  if (gained.length > 0) {
    changes.push(scopeChange("access.widened", project, where, before, after, gained, () => phrase`${holder(after.principal)} may now ${describeAccess(project, gained)} (grant ${after.id})`));
  }
  if (lost.length > 0) {
    changes.push(scopeChange("access.narrowed", project, where, before, after, lost, () => phrase`${who(before.principal)} loses ${describeAccess(project, lost, { on: true })} (grant ${after.id})`));
  }
  const principalReworded = constraints.length === 0 && before.principal !== after.principal;
  const scopeReworded = gained.length === 0 && lost.length === 0 && !sameWording(before, after);
  if (principalReworded || scopeReworded) {
    changes.push(scopeChange("grant.reworded", project, where, before, after, undefined, () => phrase`grant ${after.id} is written differently but admits the same jobs to the same secrets today`));
  }
  addLifetimeChanges(changes, where, before, after);
  addAcknowledgementChanges(changes, where, before, after);
}

/** Adds to `changes` those of one grant: the matched pair's, or the new or removed grant's. */
export function addGrantChanges(changes: PolicyChange[], project: string, pair: GrantPair, base: ProjectSide, head: ProjectSide): void {
  const { before, after } = pair;
  if (before && after) {
    addPairChanges(changes, project, before, after, base, head);
  } else if (after) {
    changes.push(granted(project, after, base, head));
    addAcknowledgementChanges(changes, { project, environment: after.environment, grant: after.id, headGrant: after.id }, undefined, after);
  } else if (before) {
    changes.push(revoked(project, before, base, head));
  }
}
