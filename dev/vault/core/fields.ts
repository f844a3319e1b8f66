// Request-body fields the way Vault's framework reads them: booleans and integers may arrive as
// strings, lists as comma-separated strings, durations as seconds or Go duration strings. Bodies
// are validated with zod at the boundary; a bad field becomes a Vault-style 400 that names the
// field but never echoes its value (it may be a secret).
import * as z from "zod";
import { badRequest } from "./errors.ts";
import { DurationError, parseDuration } from "./durations.ts";

const boolStrings: Readonly<Record<string, boolean>> = {
  "1": true, t: true, T: true, true: true, TRUE: true, True: true,
  "0": false, f: false, F: false, false: false, FALSE: false, False: false,
};

export const vaultBool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === "boolean") return value;
  const parsed = boolStrings[value];
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: "expected a boolean" });
    return z.NEVER;
  }
  return parsed;
});

export const vaultInt = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const number = typeof value === "number" ? value : /^[-+]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) {
    ctx.addIssue({ code: "custom", message: "expected an integer" });
    return z.NEVER;
  }
  return number;
});

/** Seconds, from an integer or a duration string. */
export const vaultDuration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});

/** Vault's TypeCommaStringSlice: a JSON list of strings, or one comma-separated string. */
export const vaultStringList = z.union([z.array(z.union([z.string(), z.number()])), z.string()]).transform((value) =>
  (Array.isArray(value) ? value.map(String) : value.split(",")).map((item) => item.trim()).filter((item) => item !== ""),
);

export const vaultStringMap = z.record(z.string(), z.string());

/**
 * Parses `data` with `schema`. Unknown fields are ignored with Vault's warning, which the caller
 * passes on in the response.
 */
export function parseFields<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  data: Readonly<Record<string, unknown>>,
  warn?: (warning: string) => void,
): z.infer<z.ZodObject<Shape>> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    throw badRequest(field ? `error converting input for field "${field}": ${issue.message}` : issue.message);
  }
  const unknown = Object.keys(data).filter((key) => !(key in schema.shape));
  if (unknown.length > 0 && warn) warn(`Endpoint ignored these unrecognized parameters: [${unknown.join(" ")}]`);
  return result.data;
}
