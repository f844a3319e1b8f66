// The secrets of a policy document that Keybridge rotates itself (strategy "generated"): one per
// project, environment and secret, at "<project>/<environment>/<secret>" in the backend.
import type { PolicyDocument } from "../../policy/document.ts";
import type { GeneratedRule, SecretRef } from "./rotate-secret.ts";

export interface GeneratedSecret {
  readonly secret: SecretRef;
  readonly rule: GeneratedRule;
}

export function generatedSecrets(document: PolicyDocument): GeneratedSecret[] {
  const found: GeneratedSecret[] = [];
  for (const project of document.projects) {
    for (const environment of project.environments) {
      for (const secret of project.secrets) {
        const { rotation } = secret;
        if (rotation?.strategy !== "generated" || !rotation.generator) continue;
        found.push({
          secret: { path: `${project.name}/${environment.name}/${secret.name}`, keys: secret.keys },
          rule: { maxAgeSeconds: rotation.maxAgeSeconds, generator: rotation.generator },
        });
      }
    }
  }
  return found;
}
