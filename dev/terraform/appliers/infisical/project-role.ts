// infisical_project_role: a custom role of a project (by project_id or project_slug). Its rules
// come from permissions_v2 (subject, actions, conditions as a JSON string, inverted) or the
// deprecated permissions (one action, conditions environment and secret_path, the path a glob).
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBlocks, tfBool, tfSingleBlock, tfString, tfStringList } from "../../attributes.ts";
import { parseConditions, PermissionConfigError, type PermissionRule } from "../../../infisical/permissions.ts";
import { StoreError } from "../../../infisical/store.ts";
import { slugShape } from "./shared.ts";

const permissionV2 = z.object({
  subject: tfString,
  action: tfStringList,
  conditions: tfString.optional(),
  inverted: tfBool.optional(),
});

const permissionV1 = z.object({
  subject: tfString,
  action: tfString,
  conditions: tfSingleBlock(z.object({ environment: tfString.optional(), secret_path: tfString.optional() })).optional(),
});

function rulesV2(entries: readonly z.output<typeof permissionV2>[]): PermissionRule[] {
  return entries.map((entry, index) => {
    let raw: unknown = {};
    if (entry.conditions !== undefined && entry.conditions.trim() !== "") {
      try {
        raw = JSON.parse(entry.conditions);
      } catch {
        raw = undefined;
      }
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new StoreError(`permissions_v2[${index}].conditions must be a JSON object as a string, e.g. {"environment":{"$eq":"prod"}}`);
    }
    try {
      return { subject: entry.subject, actions: entry.action, conditions: parseConditions(raw as Record<string, unknown>), inverted: entry.inverted ?? false };
    } catch (error) {
      if (error instanceof PermissionConfigError) throw new StoreError(`permissions_v2[${index}].conditions: ${error.message}`);
      throw error;
    }
  });
}

function rulesV1(entries: readonly z.output<typeof permissionV1>[]): PermissionRule[] {
  return entries.map((entry) => {
    const conditions: Record<string, unknown> = {};
    if (entry.conditions?.environment) conditions.environment = { $eq: entry.conditions.environment };
    if (entry.conditions?.secret_path) conditions.secretPath = { $glob: entry.conditions.secret_path };
    return { subject: entry.subject, actions: [entry.action], conditions: parseConditions(conditions), inverted: false };
  });
}

export const infisicalProjectRoleApplier = defineInfisicalApplier({
  type: "infisical_project_role",
  attributes: z.object({
    name: tfString,
    slug: slugShape("role"),
    project_id: tfString.optional(),
    project_slug: tfString.optional(),
    description: tfString.optional(),
    permissions: tfBlocks(permissionV1).optional(),
    permissions_v2: tfBlocks(permissionV2).optional(),
  }),
  exactlyOneOf: [["project_id", "project_slug"]],
  apply(attributes, store) {
    const project = attributes.project_id !== undefined ? store.project(attributes.project_id) : store.projectBySlug(attributes.project_slug ?? "");
    if (!project) throw new StoreError(`project_slug "${attributes.project_slug}" names no project; reference infisical_project.NAME.slug`);
    const rules = [...rulesV1(attributes.permissions ?? []), ...rulesV2(attributes.permissions_v2 ?? [])];
    const role = store.createRole({ projectId: project.id, slug: attributes.slug, name: attributes.name, description: attributes.description ?? "", rules });
    return { ...attributes, project_id: project.id, project_slug: project.slug, id: role.id };
  },
});
