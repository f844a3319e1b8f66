// Declared secret paths, sorted, so that the paths a rule pattern can match are found by the
// pattern's literal prefix (binary search) instead of by testing every path: a graph of 10,000
// paths and 1,000 roles answers "what does each role reach" in linear time in what it reaches.

export class PathIndex {
  private readonly sorted: readonly string[];

  constructor(paths: Iterable<string>) {
    this.sorted = [...new Set(paths)].sort();
  }

  get all(): readonly string[] {
    return this.sorted;
  }

  /** Every path that starts with the literal part of `pattern` (before its first `+` or `*`). */
  candidates(pattern: string): readonly string[] {
    const cut = Math.min(...["+", "*"].map((char) => (pattern.includes(char) ? pattern.indexOf(char) : pattern.length)));
    const prefix = pattern.slice(0, cut);
    const start = this.lowerBound(prefix);
    let end = start;
    while (end < this.sorted.length && this.sorted[end]!.startsWith(prefix)) end += 1;
    return this.sorted.slice(start, end);
  }

  private lowerBound(value: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
