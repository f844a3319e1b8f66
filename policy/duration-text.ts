// Durations in a reviewer's words ("10 min", "12 h", "90 days", "1 h 30 min"), and changes of one
// that name a shared unit once ("from 30 to 90 days").

const units = [
  { seconds: 86_400, one: "day", many: "days" },
  { seconds: 3600, one: "h", many: "h" },
  { seconds: 60, one: "min", many: "min" },
  { seconds: 1, one: "s", many: "s" },
] as const;

type Unit = (typeof units)[number];

const unitName = (count: number, unit: Unit) => (count === 1 ? unit.one : unit.many);

function components(seconds: number): Array<{ count: number; unit: Unit }> {
  let rest = Math.max(0, Math.round(seconds));
  return units.flatMap((unit) => {
    const count = Math.floor(rest / unit.seconds);
    rest -= count * unit.seconds;
    return count > 0 ? [{ count, unit }] : [];
  });
}

/** Documents use a handful of lifetimes, each described many times in a plan. */
const described = new Map<number, string>();

export function describeDuration(seconds: number): string {
  let text = described.get(seconds);
  if (text === undefined) {
    const parts = components(seconds);
    text = parts.length === 0 ? "0 s" : parts.map(({ count, unit }) => `${count} ${unitName(count, unit)}`).join(" ");
    if (described.size < 1024) described.set(seconds, text);
  }
  return text;
}

const changesDescribed = new Map<string, string>();

/** In the largest unit that fits, rounded: "30 days", "6 h", "1 min", "4 s" (for "next in …"). */
export function describeRoughDuration(seconds: number): string {
  const unit = units.find((candidate) => seconds >= candidate.seconds) ?? units[3];
  const count = Math.max(1, Math.round(seconds / unit.seconds));
  return `${count} ${unitName(count, unit)}`;
}

export function describeDurationChange(before: number, after: number): string {
  const key = `${before}:${after}`;
  let text = changesDescribed.get(key);
  if (text === undefined) {
    const [a, b] = [components(before), components(after)];
    text =
      a.length === 1 && b.length === 1 && a[0]!.unit === b[0]!.unit
        ? `from ${a[0]!.count} to ${b[0]!.count} ${unitName(b[0]!.count, b[0]!.unit)}`
        : `from ${describeDuration(before)} to ${describeDuration(after)}`;
    if (changesDescribed.size < 1024) changesDescribed.set(key, text);
  }
  return text;
}
