// How reading a configuration goes wrong: one Problem per thing to fix, each printed as one line
// that names the file (and line where known), the block's address, the attribute, and what to do.
// Messages never hold a value from the configuration (it may be a secret), and never a line break.

export interface Problem {
  readonly file: string;
  /** 1-based; set where the source says it (HCL blocks and syntax errors). */
  readonly line?: number;
  /** `vault_policy.ci["prod"]`, `module.ci.vault_policy.x`, `variable "repos"`, `output "role"`. */
  readonly address?: string;
  /** `policy`, `tune.max_lease_ttl`, `for_each`. */
  readonly attribute?: string;
  readonly message: string;
}

export function problemLine(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const parts = [where, problem.address, problem.attribute].filter((part): part is string => part !== undefined && part !== "");
  return oneLine(`${parts.join(": ")}: ${problem.message}`);
}

/** Line breaks and runs of spaces (from multi-line expressions) collapse to one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** Thrown by the file-reading edge when nothing can be read at all; `problems` say why. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(problemLine).join("; "));
  }
}
