// What every benchmark section gets: the run's mode, a scratch directory, a place to report
// functional errors (the only reason the benchmark exits non-zero), and a progress log on stderr.
export interface BenchContext {
  readonly quick: boolean;
  /** Profile every target's subject, met or not (--profile); otherwise only missed targets of a full run. */
  readonly profileAll: boolean;
  /** Scratch space of this run, removed at the end. */
  readonly workDir: string;
  /**
   * dist/ as it was when the run started, copied into the scratch space (beside a package.json that
   * makes its .js files ES modules, as the repository's does), so that a rebuild during the run
   * cannot mix two builds.
   */
  readonly distDir: string;
  /** The node that runs the Action's steps and its rivals' (--node; default: this one). */
  readonly stepNode: string;
  /** Wrong answers, wrong request counts, crashed children: not slowness. */
  readonly functionalErrors: string[];
  log(line: string): void;
}

/** Polls `check` every few ms until it holds or `timeoutMs` passes; resolves with its last value. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}
