// Vault duration fields: an integer is seconds, a string is either an integer (seconds) or a Go
// duration ("90s", "10m", "1h30m", "768h") with Vault's extra "d" unit. Results are whole seconds.
import { withCode } from "../../../policy/errors/keybridge-error.ts";

const unitSeconds: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  "µs": 1e-6,
  "μs": 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

const durationShape = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d))+$/;
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g;

export class DurationError extends withCode("KB_DEV_CONFIG_INVALID") {}

export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input)) throw new DurationError(`time: invalid duration "${input}"`);
    return input;
  }
  const text = input.trim();
  if (text === "") return 0;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (!durationShape.test(text)) throw new DurationError(`time: invalid duration "${input}"`);
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(durationPart)) seconds += Number(amount) * unitSeconds[unit!]!;
  // Go truncates toward zero when it converts a duration to whole seconds.
  return (text.startsWith("-") ? -1 : 1) * Math.trunc(seconds + 1e-9);
}

/** Go's time.Duration.String() for whole seconds, which is how Vault prints durations ("1h0m0s"). */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0s";
  const sign = totalSeconds < 0 ? "-" : "";
  let rest = Math.abs(totalSeconds);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** The duration in seconds, or undefined when `value` is not a valid duration. */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof DurationError) return undefined;
    throw error;
  }
}

/** Vault's warning when a TTL asked for is cut to what is left before the max TTL (sdk framework.CalculateTTL). */
export function ttlCappedWarning(wantedSeconds: number, roomSeconds: number): string {
  return `TTL of "${formatDuration(wantedSeconds)}" exceeded the effective max_ttl of "${formatDuration(roomSeconds)}"; TTL value is capped accordingly`;
}
