// infisical_project_environment: an environment (slug) of a project, with its root folder "/".
import * as z from "zod";
import { defineInfisicalApplier } from "../../applier.ts";
import { tfNumber, tfString } from "../../attributes.ts";
import { slugShape } from "./shared.ts";

export const infisicalProjectEnvironmentApplier = defineInfisicalApplier({
  type: "infisical_project_environment",
  attributes: z.object({
    name: tfString,
    slug: slugShape("environment"),
    project_id: tfString,
    position: tfNumber.optional(),
  }),
  apply(attributes, store) {
    const environment = store.createEnvironment({ projectId: attributes.project_id, slug: attributes.slug, name: attributes.name, position: attributes.position });
    return { ...attributes, position: environment.position, id: environment.id };
  },
});
