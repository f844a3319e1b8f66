// What an Infisical project role lets an identity do with secrets: the built-in roles, and custom
// roles' permission rules (subject, actions, conditions on environment and secret path, inverted
// rules that take away). Rules add up across roles; a matching inverted rule wins, as CASL decides
// when it is declared after the rule it narrows.
import type { AccessCapability } from "../graph.ts";
import { infisicalGlob } from "./glob.ts";

/** Secret actions as Infisical checks them: a value is read only where the secret may also be described. */
type SecretAction = "describe" | "readValue" | "write" | "delete";

export interface InfisicalRule {
  readonly actions: readonly SecretAction[];
  readonly environment?: Condition;
  readonly secretPath?: Condition;
  readonly inverted: boolean;
}

type Condition = { readonly op: "$eq" | "$ne" | "$glob" | "$in"; readonly values: readonly string[] };

const allActions: readonly SecretAction[] = ["describe", "readValue", "write", "delete"];

/** The built-in project roles (as far as secrets go). */
export const builtInRoles: Readonly<Record<string, readonly InfisicalRule[]>> = {
  admin: [{ actions: allActions, inverted: false }],
  member: [{ actions: allActions, inverted: false }],
  viewer: [{ actions: ["describe", "readValue"], inverted: false }],
  "no-access": [],
};

/** v1 and v2 secret actions → what they allow (v1 `read` and v2 `describeAndReadValue` are both halves). */
const actionsOf: Readonly<Record<string, readonly SecretAction[]>> = {
  read: ["describe", "readValue"],
  readValue: ["readValue"],
  describeSecret: ["describe"],
  describeAndReadValue: ["describe", "readValue"],
  create: ["write"],
  edit: ["write"],
  delete: ["delete"],
};

export class PermissionsError extends Error {}

/** One `permissions_v2` entry (or v1 `permissions` entry) of `infisical_project_role`. */
export function ruleFrom(entry: Readonly<Record<string, unknown>>): InfisicalRule | undefined {
  if (entry.subject !== "secrets") return undefined;
  const actions = Array.isArray(entry.action) ? entry.action : [entry.action];
  const granted = [...new Set(actions.flatMap((action) => actionsOf[String(action)] ?? []))];
  const conditions = parseConditions(entry.conditions);
  return { actions: granted, inverted: entry.inverted === true, environment: condition(conditions.environment), secretPath: condition(conditions.secretPath ?? conditions.secret_path) };
}

function parseConditions(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === "") return {};
  if (typeof raw === "object") return raw as Record<string, unknown>;
  try {
    return JSON.parse(String(raw)) as Record<string, unknown>;
  } catch {
    throw new PermissionsError("conditions is not JSON");
  }
}

function condition(raw: unknown): Condition | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return { op: "$eq", values: [raw] };
  const [op, value] = Object.entries(raw as Record<string, unknown>)[0] ?? [];
  if (op !== "$eq" && op !== "$ne" && op !== "$glob" && op !== "$in") throw new PermissionsError(`condition operator ${String(op)} is not supported`);
  return { op, values: Array.isArray(value) ? value.map(String) : [String(value)] };
}

function holds(condition: Condition | undefined, value: string): boolean {
  if (!condition) return true;
  switch (condition.op) {
    case "$eq":
      return condition.values[0] === value;
    case "$ne":
      return condition.values[0] !== value;
    case "$in":
      return condition.values.includes(value);
    case "$glob":
      return infisicalGlob(condition.values[0]!, value);
  }
}

/** Capabilities on one secret (its environment and folder path) under all of an identity's rules. */
export function capabilitiesOn(rules: readonly InfisicalRule[], environment: string, secretPath: string): AccessCapability[] {
  const applies = (rule: InfisicalRule) => holds(rule.environment, environment) && holds(rule.secretPath, secretPath);
  const granted = new Set(rules.filter((rule) => !rule.inverted && applies(rule)).flatMap((rule) => rule.actions));
  for (const rule of rules) if (rule.inverted && applies(rule)) for (const action of rule.actions) granted.delete(action);
  const capabilities: AccessCapability[] = [];
  if (granted.has("describe") && granted.has("readValue")) capabilities.push("read");
  if (granted.has("describe")) capabilities.push("list");
  if (granted.has("write")) capabilities.push("write");
  if (granted.has("delete")) capabilities.push("delete");
  return capabilities;
}
