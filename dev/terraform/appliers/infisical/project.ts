// infisical_project: a secret-manager project by name and slug. should_create_default_envs
// defaults to true, as in the provider, and then adds dev, staging and prod.
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfBool, tfNumber, tfString } from "../../attributes.ts";
import { slugShape } from "./shared.ts";

export const infisicalProjectApplier = defineInfisicalApplier({
  type: "infisical_project",
  attributes: z.object({
    name: tfString,
    slug: slugShape("project"),
    description: tfString.optional(),
    type: tfString.refine((type) => type === "secret-manager", { message: 'must be "secret-manager": keybridge dev serves secrets only' }).optional(),
    template_name: tfString.optional(),
    kms_secret_manager_key_id: tfString.optional(),
    audit_log_retention_days: tfNumber.optional(),
    has_delete_protection: tfBool.optional(),
    should_create_default_envs: tfBool.optional(),
  }),
  computed: ["last_updated"],
  apply(attributes, store) {
    const createDefaultEnvironments = attributes.should_create_default_envs ?? true;
    const project = store.createProject({ name: attributes.name, slug: attributes.slug, description: attributes.description ?? "", createDefaultEnvironments });
    return { ...attributes, should_create_default_envs: createDefaultEnvironments, id: project.id, last_updated: new Date().toISOString() };
  },
});
