// Project roles as Infisical evaluates them (CASL rules): a rule grants (or, inverted, denies) its
// actions on a subject when every condition holds. Conditions read the request's environment,
// secretPath and secretName with $eq, $ne, $in and $glob (picomatch). A deny that matches wins
// over any grant. "read" is the legacy action that means describeSecret and readValue together.
import { withCode } from "../../policy/errors/keybridge-error.ts";
import { globMatch } from "./glob.ts";

export type Operator = "$eq" | "$ne" | "$in" | "$glob";

export interface FieldCondition {
  readonly operator: Operator;
  readonly value: string | readonly string[];
}

export interface PermissionRule {
  readonly subject: string;
  readonly actions: readonly string[];
  /** Field → conditions that must all hold. */
  readonly conditions: Readonly<Record<string, readonly FieldCondition[]>>;
  readonly inverted: boolean;
}

/** What a rule is checked against; no secretName means "some secret of this folder" (a list). */
export interface Scope {
  readonly environment: string;
  readonly secretPath: string;
  readonly secretName?: string;
}

export class PermissionConfigError extends withCode("KB_DEV_CONFIG_INVALID") {}

export const secretActions = ["describeSecret", "readValue", "create", "edit", "delete"] as const;

const fields = new Set(["environment", "secretPath", "secretName"]);
const operators = new Set<string>(["$eq", "$ne", "$in", "$glob"]);

/** Infisical's built-in project roles, by slug. */
export const builtinRoles: Readonly<Record<string, readonly PermissionRule[]>> = {
  admin: [{ subject: "all", actions: ["manage"], conditions: {}, inverted: false }],
  member: [
    { subject: "secrets", actions: [...secretActions], conditions: {}, inverted: false },
    { subject: "secret-folders", actions: ["read", "create", "edit", "delete"], conditions: {}, inverted: false },
    { subject: "secret-imports", actions: ["read", "create", "edit", "delete"], conditions: {}, inverted: false },
  ],
  viewer: [
    { subject: "secrets", actions: ["describeSecret", "readValue"], conditions: {}, inverted: false },
    { subject: "secret-folders", actions: ["read"], conditions: {}, inverted: false },
    { subject: "secret-imports", actions: ["read"], conditions: {}, inverted: false },
  ],
  "no-access": [],
};

function stringValue(field: string, operator: string, value: unknown): string {
  if (typeof value !== "string") throw new PermissionConfigError(`condition ${field}.${operator} must be a string; write it as "${field}": {"${operator}": "..."}`);
  return value;
}

/** The `conditions` object of a permissions_v2 entry (already JSON-decoded), checked. */
export function parseConditions(raw: Readonly<Record<string, unknown>>): Record<string, FieldCondition[]> {
  const parsed: Record<string, FieldCondition[]> = {};
  for (const [field, spec] of Object.entries(raw)) {
    if (field === "secretTags") {
      throw new PermissionConfigError("secretTags conditions are not supported: keybridge dev keeps no secret tags; remove the condition");
    }
    if (!fields.has(field)) {
      throw new PermissionConfigError(`unknown condition field "${field}"; use environment, secretPath or secretName`);
    }
    if (typeof spec === "string") {
      parsed[field] = [{ operator: "$eq", value: spec }];
      continue;
    }
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
      throw new PermissionConfigError(`condition "${field}" must be a string or an object of operators such as {"$eq": "prod"}`);
    }
    parsed[field] = Object.entries(spec).map(([operator, value]) => {
      if (!operators.has(operator)) throw new PermissionConfigError(`unknown operator "${operator}" on "${field}"; use $eq, $ne, $in or $glob`);
      if (operator === "$in") {
        if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
          throw new PermissionConfigError(`condition ${field}.$in must be a list of strings`);
        }
        return { operator: "$in", value: value as string[] };
      }
      return { operator: operator as Operator, value: stringValue(field, operator, value) };
    });
  }
  return parsed;
}

function holds(condition: FieldCondition, actual: string): boolean {
  switch (condition.operator) {
    case "$eq":
      return actual === condition.value;
    case "$ne":
      return actual !== condition.value;
    case "$in":
      return (condition.value as readonly string[]).includes(actual);
    case "$glob":
      return actual === condition.value || globMatch(actual, condition.value as string);
  }
}

/**
 * Whether every condition holds. A condition on a field the scope lacks (secretName of a list)
 * counts as holding for a grant (some secret may match) and as not holding for a deny.
 */
function conditionsHold(rule: PermissionRule, scope: Scope): boolean {
  for (const [field, conditions] of Object.entries(rule.conditions)) {
    const actual = (scope as unknown as Record<string, string | undefined>)[field];
    if (actual === undefined) {
      if (rule.inverted) return false;
      continue;
    }
    if (!conditions.every((condition) => holds(condition, actual))) return false;
  }
  return true;
}

function coversAction(rule: PermissionRule, subject: string, action: string): boolean {
  if (rule.subject !== subject && rule.subject !== "all") return false;
  if (rule.actions.includes(action) || rule.actions.includes("manage")) return true;
  return subject === "secrets" && rule.actions.includes("read") && (action === "describeSecret" || action === "readValue");
}

export function can(rules: readonly PermissionRule[], action: string, subject: string, scope: Scope): boolean {
  const applicable = rules.filter((rule) => coversAction(rule, subject, action) && conditionsHold(rule, scope));
  return applicable.some((rule) => !rule.inverted) && !applicable.some((rule) => rule.inverted);
}
