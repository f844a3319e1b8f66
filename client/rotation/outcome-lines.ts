// One line per secret for the CLI's output and the Action's log and job summary: paths and
// version numbers, never a value.
import { describeRoughDuration } from "../../policy/duration-text.ts";
import type { RotationOutcome } from "./rotate-secret.ts";
import type { RollbackOutcome } from "./rollback-secret.ts";

export function describeRotation(outcome: RotationOutcome): string {
  switch (outcome.kind) {
    case "rotated":
      return `rotated ${outcome.path} (v${outcome.from} → v${outcome.to})${outcome.raced ? ", but another rotator wrote too: the last write stands" : ""}`;
    case "would-rotate":
      return `due ${outcome.path} (v${outcome.from}; dry run, nothing written)`;
    case "already-rotated":
      return `already rotated ${outcome.path} (another rotator wrote after v${outcome.from})`;
    case "not-due":
      return `not due ${outcome.path} (v${outcome.version}, next in ${describeRoughDuration(outcome.nextInSeconds)})`;
  }
}

export function describeRollback(outcome: RollbackOutcome): string {
  switch (outcome.kind) {
    case "rolled-back":
      return `rolled back ${outcome.path} (v${outcome.from} → v${outcome.to}, the data of v${outcome.restored})${outcome.raced ? ", but another writer wrote too: the last write stands" : ""}`;
    case "would-roll-back":
      return `would roll back ${outcome.path} (v${outcome.from} → the data of v${outcome.restored}; dry run, nothing written)`;
    case "changed-meanwhile":
      return `not rolled back ${outcome.path}: it changed after v${outcome.from} while rolling back; look at its versions and run again`;
  }
}
