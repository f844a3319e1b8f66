// What a claim constraint admits. A claim is a list of accepted values, matched exactly or as
// globs where `*` stands for any characters (Vault's bound_claims_type "glob"); a claim that is
// not constrained admits anything. Comparing two constraints tells a reviewer whether a change
// lets more jobs in.
import { sameTexts } from "../text-order.ts";

export interface ClaimValues {
  readonly values: readonly string[];
  readonly glob: boolean;
}

export type Comparison = "same" | "wider" | "narrower" | "different";

export function globMatch(pattern: string, value: string): boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return pattern === value;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const middle = pieces[i]!;
    const found = value.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

export const isWildcard = (value: string, glob: boolean) => glob && value.includes("*");

export function valueMatches(claim: ClaimValues, value: string): boolean {
  return claim.values.some((pattern) => (claim.glob ? globMatch(pattern, value) : pattern === value));
}

/**
 * True when every value `inner` admits is admitted by `outer`. A pattern admits another when it
 * matches that pattern's text with each `*` taken literally: the `*` can then only have been
 * swallowed by a `*` of the outer pattern, so any replacement of it still matches (sound; it
 * misses only contrived cases, which then read as "different", never as "narrower").
 */
function patternCovers(outer: string, outerGlob: boolean, inner: string, innerGlob: boolean): boolean {
  if (!isWildcard(inner, innerGlob)) return outerGlob ? globMatch(outer, inner) : outer === inner;
  return isWildcard(outer, outerGlob) && globMatch(outer, inner);
}

/** `undefined` stands for a claim that is not constrained. */
export function covers(outer: ClaimValues | undefined, inner: ClaimValues | undefined): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return outer.glob && outer.values.includes("*");
  return inner.values.every((value) => outer.values.some((pattern) => patternCovers(pattern, outer.glob, value, inner.glob)));
}

export function compareClaims(before: ClaimValues | undefined, after: ClaimValues | undefined): Comparison {
  // Most claims a change keeps hold the same values, matched the same way: no pattern to compare.
  if (before === after || (before !== undefined && after !== undefined && before.glob === after.glob && sameTexts(before.values, after.values))) return "same";
  const widens = covers(after, before);
  const narrows = covers(before, after);
  if (widens && narrows) return "same";
  if (widens) return "wider";
  if (narrows) return "narrower";
  return "different";
}
