// What an Infisical project role lets an identity do with secrets: the built-in roles, and custom
// roles' permission rules (subject, actions, conditions on environment and secret path, inverted
// rules that take away). Rules add up across roles; a matching inverted rule wins, as CASL decides
// when it is declared after the rule it narrows.
import type { AccessCapability } from "../graph.ts";
import { infisicalGlob } from "./glob.ts";

export interface InfisicalRule {
  readonly capabilities: readonly AccessCapability[];
  readonly environment?: Condition;
  readonly secretPath?: Condition;
  readonly inverted: boolean;
}

type Condition = { readonly op: "$eq" | "$ne" | "$glob" | "$in"; readonly values: readonly string[] };

const everything: readonly AccessCapability[] = ["read", "list", "write", "delete"];

/** The built-in project roles (as far as secrets go). */
export const builtInRoles: Readonly<Record<string, readonly InfisicalRule[]>> = {
  admin: [{ capabilities: everything, inverted: false }],
  member: [{ capabilities: everything, inverted: false }],
  viewer: [{ capabilities: ["read", "list"], inverted: false }],
  "no-access": [],
};

/** v2 secret actions → our capabilities (describeSecret lists names; readValue reads). */
const actionCapabilities: Readonly<Record<string, readonly AccessCapability[]>> = {
  read: ["read", "list"],
  readValue: ["read"],
  describeSecret: ["list"],
  describeAndReadValue: ["read", "list"],
  create: ["write"],
  edit: ["write"],
  delete: ["delete"],
};

export class PermissionsError extends Error {}

/** One `permissions_v2` entry (or v1 `permissions` entry) of `infisical_project_role`. */
export function ruleFrom(entry: Readonly<Record<string, unknown>>): InfisicalRule | undefined {
  if (entry.subject !== "secrets") return undefined;
  const actions = Array.isArray(entry.action) ? entry.action : [entry.action];
  const capabilities = [...new Set(actions.flatMap((action) => actionCapabilities[String(action)] ?? []))];
  const conditions = parseConditions(entry.conditions);
  return { capabilities, inverted: entry.inverted === true, environment: condition(conditions.environment), secretPath: condition(conditions.secretPath ?? conditions.secret_path) };
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
  const granted = new Set(rules.filter((rule) => !rule.inverted && applies(rule)).flatMap((rule) => rule.capabilities));
  for (const rule of rules) if (rule.inverted && applies(rule)) for (const capability of rule.capabilities) granted.delete(capability);
  return everything.filter((capability) => granted.has(capability));
}
