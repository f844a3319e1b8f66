// Start-up measurements: every variant once per round, the order rotated each round so that no
// variant always runs right after another; the first rounds warm the disk cache and are dropped.
export async function sampleInterleaved<Name extends string>(
  variants: Readonly<Record<Name, () => Promise<{ readonly ms: number }>>>,
  quick: boolean,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(variants) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  const warmups = quick ? 2 : 3;
  const runs = quick ? 9 : 25;
  for (let i = 0; i < warmups + runs; i++) {
    const order = names.map((_, j) => names[(i + j) % names.length]!);
    for (const name of order) {
      const { ms } = await variants[name]();
      if (i >= warmups) samples[name].push(ms);
    }
  }
  return samples;
}
