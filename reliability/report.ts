// What a reliability suite reports: every attempt it made, whether the promise held, and the
// figures it measured. `npm run reliability` renders these into docs/RELIABILITY.md.

export interface Attempt {
  /** What was tried, in a few words: "value with %0A, dotenv file". */
  readonly tried: string;
  /** What happened, in a few words: "masked before export; read back exactly". */
  readonly outcome: string;
  readonly held: boolean;
  /** Columns a suite adds to its table (elapsed time, status …). */
  readonly details?: Readonly<Record<string, string>>;
}

export interface SuiteReport {
  readonly name: string;
  /** One paragraph: what the suite promises and how it tries to break it. */
  readonly about: string;
  readonly attempts: readonly Attempt[];
  /** Headline figures: "values: 214", "peak RSS: 88 MB". */
  readonly figures: Readonly<Record<string, string>>;
  /** Known limits, written down with their reason (a break that is accepted). */
  readonly notes?: readonly string[];
}

export interface SuiteOptions {
  /** The bounded form that runs inside `npm test`. */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export type Suite = (options: SuiteOptions) => Promise<SuiteReport>;

export const broken = (report: SuiteReport): Attempt[] => report.attempts.filter((attempt) => !attempt.held);
