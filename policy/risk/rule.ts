// The shape of a risk rule, after cdk-nag: a pure check with a stable ID, a fixed level, a one-line
// reason built from the change, and a constant "why this matters".
import type { ChangeKind, PolicyChange } from "../diff/change.ts";
import type { Phrase } from "../phrase.ts";
import type { Level } from "./level.ts";

export interface RuleHit {
  /** One line for the reviewer, built from the change when a renderer reads it. */
  readonly reason: () => Phrase;
  /** Defaults to the change's own before/after. */
  readonly before?: Phrase;
  readonly after?: Phrase;
}

export interface RiskRule {
  /** Stable forever: acknowledgements and docs refer to it. */
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  /** What triggers the rule, for docs/RISK_RULES.md. */
  readonly trigger: string;
  readonly why: string;
  /** How a plan labels the finding when the level alone says too little ("Removed"). */
  readonly badge?: string;
  /** Applies only to changes no other rule flagged ("new access otherwise"). */
  readonly fallback?: boolean;
  /** The kinds of change it judges: it is asked about no other (a test holds it to that). */
  readonly kinds: readonly ChangeKind[];
  readonly check: (change: PolicyChange) => RuleHit | undefined;
}

export interface Finding {
  readonly rule: string;
  readonly level: Level;
  readonly title: string;
  readonly badge: string;
  readonly why: string;
  readonly reason: Phrase;
  readonly before: Phrase;
  readonly after: Phrase;
  /** Index of the change in the plan's list of changes. */
  readonly change: number;
  readonly kind: PolicyChange["kind"];
  readonly project: string | undefined;
  readonly environment: string | undefined;
  readonly grant: string | undefined;
  /** Set when the head document's grant acknowledges this rule: shown, not counted against the threshold. */
  readonly acknowledgement: { readonly reason: string } | undefined;
}
