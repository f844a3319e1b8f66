// The hashicorp/random provider's resources, emulated (configurations generate secrets with
// them): random_password, random_string, random_id, random_uuid, random_integer. The state has
// the attributes the provider computes; bytes come from the caller, so tests can pin them.
import { EvaluationError, Unknown, makeMap, toBool, toNumber, type Value, type ValueMap } from "./expression/values.ts";

export type RandomBytes = (count: number) => Uint8Array;

export const randomTypes: readonly string[] = ["random_password", "random_string", "random_id", "random_uuid", "random_integer"];

/** Attributes Terraform marks sensitive: a plain output that reads them is refused. */
export const randomSensitive: Readonly<Record<string, readonly string[]>> = { random_password: ["result", "bcrypt_hash"] };

const sets = {
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  numeric: "0123456789",
  special: "!@#$%&*()-_=+[]{}<>:?",
};

/** The state of a random_* resource from its arguments; Unknown arguments make the results Unknown. */
export function randomState(type: string, address: string, body: ValueMap, bytes: RandomBytes): ValueMap {
  const unknown = Object.values(body).find((value) => value instanceof Unknown);
  if (unknown) return makeMap([...Object.entries(body), ["id", unknown], ["result", unknown]]);
  switch (type) {
    case "random_password":
    case "random_string": {
      const result = randomText(body, bytes);
      return makeMap([...Object.entries(body), ["result", result], ["id", type === "random_password" ? "none" : result], ["bcrypt_hash", new Unknown(`${address}.bcrypt_hash`, "not computed by keybridge (bcrypt)")]]);
    }
    case "random_id": {
      const length = toNumber(body.byte_length ?? null, "byte_length");
      if (!Number.isInteger(length) || length < 1 || length > 1024) throw new EvaluationError("byte_length must be a whole number from 1 to 1024");
      const raw = Buffer.from(bytes(length));
      const prefix = typeof body.prefix === "string" ? body.prefix : "";
      const b64url = raw.toString("base64url");
      return makeMap([
        ...Object.entries(body),
        ["id", b64url],
        ["b64_url", prefix + b64url],
        ["b64_std", prefix + raw.toString("base64")],
        ["hex", prefix + raw.toString("hex")],
        ["dec", prefix + BigInt(`0x${raw.toString("hex")}`).toString()],
      ]);
    }
    case "random_uuid": {
      const raw = Buffer.from(bytes(16));
      raw[6] = (raw[6]! & 0x0f) | 0x40;
      raw[8] = (raw[8]! & 0x3f) | 0x80;
      const hex = raw.toString("hex");
      const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return makeMap([...Object.entries(body), ["id", uuid], ["result", uuid]]);
    }
    case "random_integer": {
      const min = toNumber(body.min ?? null, "min");
      const max = toNumber(body.max ?? null, "max");
      if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) throw new EvaluationError("min and max must be whole numbers with min ≤ max");
      const span = max - min + 1;
      const result = min + (Buffer.from(bytes(6)).readUIntBE(0, 6) % span);
      return makeMap([...Object.entries(body), ["id", String(result)], ["result", result]]);
    }
  }
  throw new EvaluationError(`${type} is not a random_* resource keybridge emulates`);
}

function flag(body: ValueMap, name: string, fallback: boolean): boolean {
  const value = body[name];
  return value === undefined || value === null ? fallback : toBool(value, name);
}

function count(body: ValueMap, name: string): number {
  const value = body[name];
  return value === undefined || value === null ? 0 : toNumber(value, name);
}

/** length characters from the enabled sets, with at least min_* of each, placed at random. */
function randomText(body: ValueMap, bytes: RandomBytes): Value {
  const length = toNumber(body.length ?? null, "length");
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new EvaluationError("length must be a whole number from 1 to 4096");
  const special = typeof body.override_special === "string" ? body.override_special : sets.special;
  const numeric = flag(body, "numeric", flag(body, "number", true));
  const enabled: [string, number][] = [
    [sets.upper, flag(body, "upper", true) ? count(body, "min_upper") : -1],
    [sets.lower, flag(body, "lower", true) ? count(body, "min_lower") : -1],
    [sets.numeric, numeric ? count(body, "min_numeric") : -1],
    [special, flag(body, "special", true) && special !== "" ? count(body, "min_special") : -1],
  ];
  const all = enabled.filter(([, min]) => min >= 0).map(([chars]) => chars).join("");
  if (all === "") throw new EvaluationError("every character set is turned off; enable at least one of upper, lower, numeric, special");
  const pick = (chars: string): string => chars[Buffer.from(bytes(4)).readUInt32BE(0) % chars.length]!;
  const chars: string[] = [];
  for (const [set, min] of enabled) for (let index = 0; index < min; index++) chars.push(pick(set));
  if (chars.length > length) throw new EvaluationError("the min_* counts add up to more than length");
  while (chars.length < length) chars.push(pick(all));
  for (let index = chars.length - 1; index > 0; index--) {
    const other = Buffer.from(bytes(4)).readUInt32BE(0) % (index + 1);
    [chars[index], chars[other]] = [chars[other]!, chars[index]!];
  }
  return chars.join("");
}
