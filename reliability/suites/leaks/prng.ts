// A small seeded generator (Marsaglia's xorshift32) so that the generated part of the corpus is the
// same on every run: a value that breaks once breaks again, under the same name.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 2 ** 32;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** `length` characters drawn from `alphabet` (an array of code points as strings). */
  text(alphabet: readonly string[], length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }
}

/** Characters from `from` to `to` (code points, inclusive). */
export function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let code = from; code <= to; code++) out.push(String.fromCodePoint(code));
  return out;
}
