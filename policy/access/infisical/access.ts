// An Infisical identity's access to one declared secret, `<project>/<environment>/<folders…>/<KEY>`:
// the rules of its roles in that project, on the secret's environment and folder path.
import type { AccessRole } from "../graph.ts";
import type { PathAccess } from "../query.ts";
import { capabilitiesOn, type InfisicalRule } from "./permissions.ts";

export function splitSecretPath(path: string): { project: string; environment: string; folder: string; key: string } | undefined {
  const parts = path.split("/");
  if (parts.length < 3) return undefined;
  return { project: parts[0]!, environment: parts[1]!, folder: `/${parts.slice(2, -1).join("/")}`, key: parts[parts.length - 1]! };
}

export function infisicalAccess(role: AccessRole, path: string): PathAccess | undefined {
  const secret = splitSecretPath(path);
  const grant = secret && role.infisical?.find((entry) => entry.project === secret.project);
  if (!secret || !grant) return undefined;
  const capabilities = capabilitiesOn(grant.rules, secret.environment, secret.folder);
  return { role, path, capabilities, pattern: `${grant.project} roles ${grant.roles.join(", ")}`, policies: grant.roles };
}

const conditionText = (condition: InfisicalRule["environment"]) => (condition ? `${condition.op === "$eq" ? "" : `${condition.op} `}${condition.values.join(",")}` : "*");

export const infisicalRuleText = (project: string, rule: InfisicalRule) => `${project} env ${conditionText(rule.environment)} path ${conditionText(rule.secretPath)}`;
