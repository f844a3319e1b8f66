// Resource attribute types as Terraform converts them from JSON: a string attribute takes any
// primitive, numbers and booleans may be written as strings ("900", "true"), a nested block is an
// object or a list of objects. Messages say what was expected, never the value (it may be secret).
import * as z from "zod";

const primitive = (message: string) => z.union([z.string(), z.number(), z.boolean()], { error: message });

export const tfString = primitive("must be a string").transform(String);

export const tfNumber = primitive("must be a number").transform((value, ctx) => {
  const number = typeof value === "number" ? value : typeof value === "string" && /^[-+]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isNaN(number)) {
    ctx.addIssue({ code: "custom", message: "must be a number" });
    return z.NEVER;
  }
  return number;
});

export const tfBool = primitive("must be true or false").transform((value, ctx) => {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  ctx.addIssue({ code: "custom", message: "must be true or false" });
  return z.NEVER;
});

export const tfStringList = z.array(tfString, { error: "must be a list of strings" });

export const tfStringMap = z.record(z.string(), tfString, { error: "must be a map of strings" });

/** A JSON object written as a string (what jsonencode() makes), parsed. */
export const tfJsonObject = z.string({ error: "must be a string of JSON" }).transform((text, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    ctx.addIssue({ code: "custom", message: "must be a JSON object encoded as a string (jsonencode of a map)" });
    return z.NEVER;
  }
  return parsed as Record<string, unknown>;
});

/** A nested block that appears at most once: `{…}` or `[{…}]`. */
export function tfSingleBlock<T extends z.ZodType>(block: T) {
  return z
    .union([block, z.array(block).max(1, { error: "must be one block" })], { error: "must be an object (one block)" })
    .transform((value) => (Array.isArray(value) ? (value[0] as z.output<T> | undefined) : (value as z.output<T>)));
}

/** A nested block that may repeat: `{…}` or `[{…}, …]`. */
export function tfBlocks<T extends z.ZodType>(block: T) {
  return z
    .union([z.array(block), block], { error: "must be a list of blocks" })
    .transform((value) => (Array.isArray(value) ? (value as z.output<T>[]) : [value as z.output<T>]));
}

/** "token_policies[0]", "bound_claims.ref": where in a body a value sits. */
export function locationText(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === "number" ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join("");
}

/** One line for the first problem zod found: 'attribute "token_ttl" must be a number'. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const issue = error.issues[0]!;
  const where = locationText([...prefix, ...issue.path]);
  const message = issue.code === "custom" || issue.code === "invalid_union" || issue.message.startsWith("must") ? issue.message : "has the wrong type";
  return where === "" ? message : `attribute "${where}" ${message}`;
}
