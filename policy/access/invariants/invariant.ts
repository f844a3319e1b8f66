// The shape of an access invariant, like a risk rule (policy/risk/rule.ts) but checked against
// one access graph instead of a change: a pure check with a stable ID, a level, and why it exists.
import type { Level } from "../../risk/level.ts";
import type { AccessGraph, AccessRole } from "../graph.ts";
import type { AccessQuery } from "../query.ts";

export interface InvariantSettings {
  /** Which API paths are protected (production): globs where `*` matches any characters. */
  readonly protectedPaths: readonly string[];
  /** The longest token lifetime a role may grant, in seconds. */
  readonly maxTtlSeconds: number;
}

/** Production by name: a path with a `prod`, `production` or `prd` segment. */
export const defaultProtectedPaths = ["*/prod/*", "*/prod", "*/production/*", "*/production", "*/prd/*", "prod/*", "production/*"];

export const defaultSettings: InvariantSettings = { protectedPaths: defaultProtectedPaths, maxTtlSeconds: 3600 };

export interface InvariantContext {
  readonly graph: AccessGraph;
  readonly query: AccessQuery;
  readonly settings: InvariantSettings;
  isProtected(path: string): boolean;
}

export interface Violation {
  readonly role: AccessRole;
  /** The path or rule pattern concerned, when the invariant is about a path. */
  readonly path?: string;
  /** One line: what is wrong, with the chain principal → role → policy → rule. */
  readonly detail: string;
}

export interface Invariant {
  /** Stable forever: suppressions and docs refer to it. */
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly why: string;
  check(context: InvariantContext): Violation[];
}
