// What `keybridge run` and `keybridge env` work from: keybridge.yml (zod-validated) merged with the
// command-line flags, which win. The secrets use the Action's syntax.
import { existsSync, readFileSync } from "node:fs";
import * as z from "zod";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../usage-error.ts";

export const configFileName = "keybridge.yml";

/** Where a credential is kept: a file, or an environment variable (never the value itself in the file). */
const credentialSource = z.object({ file: z.string().optional(), env: z.string().optional() }).strict();

const authSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("token"), tokenEnv: z.string().optional() }).strict(),
  z.object({ method: z.literal("jwt-file"), jwtFile: z.string(), role: z.string().optional(), path: z.string().optional() }).strict(),
  z.object({ method: z.literal("github-oidc"), role: z.string().optional(), path: z.string().optional(), audience: z.string().optional() }).strict(),
  z.object({ method: z.literal("approle"), roleId: z.string(), secretIdFile: z.string().optional(), secretIdEnv: z.string().optional(), path: z.string().optional() }).strict(),
  z.object({ method: z.literal("infisical-token"), tokenEnv: z.string().optional() }).strict(),
  z.object({ method: z.literal("infisical-oidc-file"), jwtFile: z.string(), identityId: z.string() }).strict(),
  z.object({ method: z.literal("kubernetes"), role: z.string().optional(), identityId: z.string().optional(), tokenPath: z.string().optional(), path: z.string().optional() }).strict(),
  z.object({ method: z.enum(["userpass", "ldap"]), username: z.string(), password: credentialSource.optional(), path: z.string().optional() }).strict(),
  z.object({ method: z.literal("github"), githubToken: credentialSource.optional(), path: z.string().optional() }).strict(),
  z.object({ method: z.literal("infisical-universal"), clientId: z.string(), clientSecret: credentialSource.optional() }).strict(),
  z.object({ method: z.literal("infisical-aws-iam"), identityId: z.string(), region: z.string().optional() }).strict(),
]);
export type AuthSettings = z.infer<typeof authSchema>;

const secretsSchema = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value.join("\n") : value));

/** Names a `*`/`**` read may export although they control how programs run (see the README). */
const allowNamesSchema = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value.join(",") : value));

const environmentSchema = z.object({
  secrets: secretsSchema,
  allowNames: allowNamesSchema.optional(),
  auth: authSchema.optional(),
  /** Infisical: the environment slug, when it differs from the name. */
  infisicalEnvironment: z.string().optional(),
}).strict();

export const configSchema = z.object({
  backend: z.enum(["vault", "openbao", "infisical"]).default("vault"),
  url: z.string().url(),
  namespace: z.string().optional(),
  auth: authSchema.optional(),
  infisical: z.object({ project: z.string() }).strict().optional(),
  allowNames: allowNamesSchema.optional(),
  environments: z.record(z.string(), environmentSchema),
}).strict();
export type RunConfig = z.infer<typeof configSchema>;

/** One line per problem with its place in the file, as the policy loader does. */
function describeIssues(file: string, error: z.ZodError): string {
  const problems = error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`);
  return `${file} is not a valid Keybridge config: ${problems.join("; ")}${error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : ""}`;
}

export function loadRunConfig(file: string): RunConfig | undefined {
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not YAML (${(error as Error).message.split("\n")[0]}); fix it or point --config elsewhere`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeIssues(file, parsed.error));
  return parsed.data;
}
