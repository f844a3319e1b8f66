// The change model: what a pull request does to secret access, in a reviewer's terms. Every change
// has a stable `kind`, the project / environment / grant it concerns, a sentence (`summary`), the
// before and after in words, and the structured facts the risk rules read. No change holds a
// secret value: documents have none.
import type { Capability, Grant, Rotation } from "../document.ts";
import type { Phrase } from "../phrase.ts";
import type { Comparison } from "../principal/claim-patterns.ts";

/** One capability on one secret of one environment, after expanding "*" and folder globs. */
export interface AccessEntry {
  readonly environment: string;
  readonly protected: boolean;
  readonly secret: string;
  readonly capability: Capability;
}

/** A claim (or "issuer", "audience", "group", "principal") whose constraint changed. `undefined`: not constrained. */
export interface ConstraintChange {
  readonly constraint: string;
  readonly before: readonly string[] | undefined;
  readonly after: readonly string[] | undefined;
  readonly comparison: Exclude<Comparison, "same">;
}

interface Common<Kind extends string> {
  readonly kind: Kind;
  /** Absent for document-wide changes (backend, issuers). */
  readonly project?: string;
  /** The environment concerned; a grant's own wording ("*" included). */
  readonly environment?: string;
  /** The grant's id (the head's when it has one). */
  readonly grant?: string;
  /** The grant's id in the head document, when the grant still exists: acknowledgements live there. */
  readonly headGrant?: string;
  readonly summary: Phrase;
  readonly before: Phrase;
  readonly after: Phrase;
}

export type DocumentChange = Common<"backend.changed">;
export type IssuerChange = Common<"issuer.added" | "issuer.removed" | "issuer.url-changed"> & { readonly issuer: string };
export type ProjectChange = Common<"project.added" | "project.removed">;
export type EnvironmentChange = Common<"environment.added" | "environment.removed" | "environment.protected" | "environment.unprotected"> & {
  readonly protected: boolean;
};
export type SecretChange = Common<"secret.added" | "secret.removed" | "secret.keys-changed"> & { readonly secret: string };
export type RotationChange = Common<"rotation.added" | "rotation.removed" | "rotation.relaxed" | "rotation.tightened" | "rotation.strategy-changed"> & {
  readonly secret: string;
  readonly rotationBefore: Rotation | undefined;
  readonly rotationAfter: Rotation | undefined;
};

/**
 * granted/revoked: a grant with no counterpart; widened/narrowed: a matched grant covering more or
 * less. `access` is the difference, net of what the same principal holds through other grants.
 */
export type AccessChange = Common<"access.granted" | "access.revoked" | "access.widened" | "access.narrowed"> & {
  readonly grantBefore: Grant | undefined;
  readonly grantAfter: Grant | undefined;
  readonly access: readonly AccessEntry[];
};

/** A matched grant whose principal admits other jobs. `access` is everything the head grant covers. */
export type PrincipalChange = Common<"principal.widened" | "principal.narrowed"> & {
  readonly grantBefore: Grant;
  readonly grantAfter: Grant;
  readonly constraints: readonly ConstraintChange[];
  readonly access: readonly AccessEntry[];
};

export type TokenLifetimeChange = Common<"token-ttl.increased" | "token-ttl.decreased" | "token-max-ttl.increased" | "token-max-ttl.decreased"> & {
  readonly secondsBefore: number;
  readonly secondsAfter: number;
};

/** Same principal, environment, paths and capabilities under a new id. */
export type RenameChange = Common<"grant.renamed"> & { readonly idBefore: string; readonly idAfter: string };

/** Written differently, admits the same jobs to the same secrets today (e.g. "database" → "*" with one secret). */
export type RewordChange = Common<"grant.reworded"> & { readonly grantBefore: Grant; readonly grantAfter: Grant };

export type AcknowledgementChange = Common<"acknowledgement.added" | "acknowledgement.removed"> & { readonly rule: string; readonly reason: string };

export type PolicyChange =
  | DocumentChange
  | IssuerChange
  | ProjectChange
  | EnvironmentChange
  | SecretChange
  | RotationChange
  | AccessChange
  | PrincipalChange
  | TokenLifetimeChange
  | RenameChange
  | RewordChange
  | AcknowledgementChange;

export type ChangeKind = PolicyChange["kind"];

/** The member of PolicyChange that carries kind K (members share a type across related kinds). */
export type ChangeOf<K extends ChangeKind> = PolicyChange extends infer C ? (C extends { kind: infer Kinds } ? (K extends Kinds ? C : never) : never) : never;

export function isChange<K extends ChangeKind>(change: PolicyChange, kind: K): change is ChangeOf<K> {
  return change.kind === kind;
}

/** Every kind, in the order a plan lists the changes of one subject. */
export const changeKinds = [
  "backend.changed",
  "issuer.added",
  "issuer.removed",
  "issuer.url-changed",
  "project.added",
  "project.removed",
  "environment.added",
  "environment.removed",
  "environment.protected",
  "environment.unprotected",
  "secret.added",
  "secret.removed",
  "secret.keys-changed",
  "rotation.added",
  "rotation.removed",
  "rotation.relaxed",
  "rotation.tightened",
  "rotation.strategy-changed",
  "access.granted",
  "access.revoked",
  "grant.renamed",
  "principal.widened",
  "principal.narrowed",
  "access.widened",
  "access.narrowed",
  "grant.reworded",
  "token-ttl.increased",
  "token-ttl.decreased",
  "token-max-ttl.increased",
  "token-max-ttl.decreased",
  "acknowledgement.added",
  "acknowledgement.removed",
] as const satisfies readonly ChangeKind[];

// Fails to compile when a kind is missing from the list above.
const everyKindListed: Exclude<ChangeKind, (typeof changeKinds)[number]> extends never ? true : false = true;
void everyKindListed;
