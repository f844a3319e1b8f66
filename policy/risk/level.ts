// Risk levels, most severe first. A plan fails (when the caller asks) on the highest level that
// is not acknowledged.

export const levels = ["critical", "high", "medium", "low", "info"] as const;
export type Level = (typeof levels)[number];

/** 0 for critical … 4 for info. */
export const levelRank = (level: Level): number => levels.indexOf(level);

/** Sorts most severe first. */
export const compareLevels = (a: Level, b: Level): number => levelRank(a) - levelRank(b);

/** True when `level` is `threshold` or more severe. */
export const atLeast = (level: Level, threshold: Level): boolean => levelRank(level) <= levelRank(threshold);

export function isLevel(value: string): value is Level {
  return (levels as readonly string[]).includes(value);
}
