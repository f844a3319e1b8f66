// The query strings and bodies the routes accept, as zod schemas shaped like Infisical's: booleans
// are the strings "true"/"false" (anything else is a 422), the imports flag is snake_case
// `include_imports` (camelCase is ignored, as Infisical's zod strips it), v4 takes `projectId`
// only. A failure is a 422 whose message is the list of issues in the zod 3 shape Infisical's
// clients see; an issue echoes a received value only for enums (never a body's token or secret).
import * as z from "zod";
import { validationFailure, type ValidationIssue } from "./errors.ts";
import { normalizeFolderPath } from "./paths.ts";

const flag = (fallback: boolean) =>
  z.enum(["true", "false"]).optional().transform((value) => (value === undefined ? fallback : value === "true"));

const readFlags = {
  environment: z.string().trim().optional(),
  secretPath: z.string().trim().default("/").transform(normalizeFolderPath),
  viewSecretValue: flag(true),
  expandSecretReferences: flag(false),
  include_imports: flag(false),
};

const listFlags = {
  ...readFlags,
  recursive: flag(false),
  tagSlugs: z.string().optional().transform((text) => (text ?? "").split(",").map((slug) => slug.trim()).filter((slug) => slug !== "")),
};

const singleFlags = {
  ...readFlags,
  version: z.string().regex(/^\d+$/).transform(Number).optional(),
  type: z.enum(["shared", "personal"]).default("shared"),
};

const bySlugOrId = { workspaceId: z.string().trim().optional(), workspaceSlug: z.string().trim().optional() };
const byProjectId = { projectId: z.string().trim() };

export const v3ListQuery = z.object({ ...bySlugOrId, ...listFlags });
export const v4ListQuery = z.object({ ...byProjectId, ...listFlags });
export const v3SingleQuery = z.object({ ...bySlugOrId, ...singleFlags });
export const v4SingleQuery = z.object({ ...byProjectId, ...singleFlags });

/** POST and PATCH /api/v3/secrets/raw/:secretName: the value, and where the secret lives. */
export const v3WriteBody = z.object({
  ...bySlugOrId,
  environment: z.string().trim().optional(),
  secretPath: z.string().trim().default("/").transform(normalizeFolderPath),
  secretValue: z.string(),
  secretComment: z.string().optional(),
  skipMultilineEncoding: z.boolean().optional(),
  type: z.enum(["shared", "personal"]).default("shared"),
});

export const oidcLoginBody = z.object({ identityId: z.string().trim(), jwt: z.string() });
export const kubernetesLoginBody = z.object({ identityId: z.string().trim(), jwt: z.string().trim() });
export const awsLoginBody = z.object({
  identityId: z.string().trim(),
  iamHttpRequestMethod: z.string().default("POST"),
  iamRequestBody: z.string(),
  iamRequestHeaders: z.string(),
});
export const universalLoginBody = z.object({ clientId: z.string().trim(), clientSecret: z.string().trim() });
export const accessTokenBody = z.object({ accessToken: z.string().trim() });

function zod3Issue(issue: z.core.$ZodIssue, input: Readonly<Record<string, unknown>>): ValidationIssue {
  const path = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
  const received = path.length === 1 ? input[path[0] as string] : undefined;
  if (issue.code === "invalid_value") {
    const options = issue.values.map(String);
    return {
      received,
      code: "invalid_enum_value",
      options,
      path,
      message: `Invalid enum value. Expected ${options.map((option) => `'${option}'`).join(" | ")}, received '${String(received)}'`,
    };
  }
  if (issue.code === "invalid_type") {
    if (received === undefined) return { code: "invalid_type", expected: issue.expected, received: "undefined", path, message: "Required" };
    const kind = Array.isArray(received) ? "array" : typeof received;
    return { code: "invalid_type", expected: issue.expected, received: kind, path, message: `Expected ${issue.expected}, received ${kind}` };
  }
  if (issue.code === "invalid_format") {
    return { validation: "regex", code: "invalid_string", path, message: "Invalid" };
  }
  return { code: issue.code, path, message: issue.message };
}

/** The parsed input, or a 422 carrying every issue. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: Readonly<Record<string, unknown>>): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationFailure(result.error.issues.map((issue) => zod3Issue(issue, input)));
}

/** A query string as Infisical's router sees it for these routes: the first value of each name. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in values)) values[name] = value;
  return values;
}

const isoTime = z.string().trim().refine((text) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(text) && !Number.isNaN(Date.parse(text)), "Invalid datetime").optional();

/** GET /api/v1/organization/audit-logs: eventType is a comma list; limit at most 1000 (default 20). */
export const auditLogQuery = z.object({
  projectId: z.string().trim().optional(),
  environment: z.string().trim().optional(),
  actorType: z.string().trim().optional(),
  secretPath: z.string().optional().transform((path) => (path && path.length > 1 ? path.replace(/\/+$/, "") : path || undefined)),
  secretKey: z.string().optional(),
  eventType: z.string().optional().transform((text) => (text ? text.split(",") : undefined)),
  startDate: isoTime,
  endDate: isoTime,
  offset: z.string().regex(/^\d+$/).transform(Number).default(0),
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().max(1000)).default(20),
  actor: z.string().trim().optional(),
});
