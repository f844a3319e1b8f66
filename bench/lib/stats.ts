// Small statistics for the benchmarks: medians, A/B alternation of a floor with the measured run,
// and the log-log least-squares exponent of a growth curve.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Alternated<T> {
  readonly floor: T[];
  readonly measured: T[];
}

/**
 * Runs `warmups` unrecorded pairs, then `runs` recorded pairs of (floor, measured), swapping which
 * goes first on every pair, so that drift and noise of the machine reach both sides alike.
 */
export async function alternate<T>(
  options: { readonly warmups: number; readonly runs: number },
  floor: () => Promise<T>,
  measured: () => Promise<T>,
): Promise<Alternated<T>> {
  const result: Alternated<T> = { floor: [], measured: [] };
  for (let i = 0; i < options.warmups; i++) {
    await floor();
    await measured();
  }
  for (let i = 0; i < options.runs; i++) {
    if (i % 2 === 0) {
      result.floor.push(await floor());
      result.measured.push(await measured());
    } else {
      result.measured.push(await measured());
      result.floor.push(await floor());
    }
  }
  return result;
}

/** The median of measured[i] ÷ floor[i] over pairs run back to back: what noise of the moment cancels from. */
export function pairedRatio(measured: readonly number[], floor: readonly number[]): number {
  if (measured.length !== floor.length) throw new Error("paired samples must have the same length");
  return median(measured.map((value, i) => value / floor[i]!));
}

/** The median of measured[i] − floor[i] over pairs run back to back. */
export function pairedDifference(measured: readonly number[], floor: readonly number[]): number {
  if (measured.length !== floor.length) throw new Error("paired samples must have the same length");
  return median(measured.map((value, i) => value - floor[i]!));
}

/** The slope of log(y) against log(x): 1 is linear growth, 2 quadratic. */
export function fittedExponent(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) throw new Error("an exponent needs two points or more");
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
