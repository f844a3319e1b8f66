// `keybridge check`: the built-in invariants and the ones a team declares, over one access graph.
import { globMatch } from "../../principal/claim-patterns.ts";
import type { Level } from "../../risk/level.ts";
import type { AccessGraph } from "../graph.ts";
import { AccessQuery } from "../query.ts";
import { defaultSettings, type Invariant, type InvariantSettings, type Violation } from "./invariant.ts";
import { builtInInvariants } from "./rules.ts";
import { declaredInvariant, settingsFrom, type ChecksFile } from "./declared.ts";

export interface InvariantFinding {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly violation: Violation;
}

export interface CheckResult {
  readonly findings: readonly InvariantFinding[];
  /** Findings an exception of the checks file covers, with its reason: shown, not failing. */
  readonly excepted: readonly (InvariantFinding & { readonly reason: string })[];
}

/** The built-in invariants and the file's own, with the file's exceptions set apart. */
export function runChecks(graph: AccessGraph, file: ChecksFile | undefined): CheckResult {
  const invariants = [...builtInInvariants, ...(file?.rules ?? []).map(declaredInvariant)];
  const all = checkInvariants(graph, settingsFrom(file, graph.protectedPaths), invariants);
  const reasonFor = (finding: InvariantFinding) => file?.exceptions?.find((exception) => exception.rule === finding.id && exception.role === finding.violation.role.id)?.reason;
  return {
    findings: all.filter((finding) => reasonFor(finding) === undefined),
    excepted: all.flatMap((finding) => {
      const reason = reasonFor(finding);
      return reason === undefined ? [] : [{ ...finding, reason }];
    }),
  };
}

export function checkInvariants(graph: AccessGraph, settings: InvariantSettings = defaultSettings, invariants: readonly Invariant[] = builtInInvariants): InvariantFinding[] {
  const query = new AccessQuery(graph);
  const isProtected = (path: string) => settings.protectedPaths.some((pattern) => globMatch(pattern, path));
  const context = { graph, query, settings, isProtected };
  return invariants.flatMap((invariant) => invariant.check(context).map((violation) => ({ id: invariant.id, level: invariant.level, title: invariant.title, violation })));
}
