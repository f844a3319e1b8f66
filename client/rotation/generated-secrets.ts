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

/** The generated secret a KV v2 API path ("secret/data/ml/prod/webhook") names, if any. */
export function generatedSecretAt(document: PolicyDocument, apiPath: string): GeneratedSecret | undefined {
  if (document.backend.type !== "vault") return undefined;
  const prefix = `${document.backend.mount}/data/`;
  const path = apiPath.replace(/^\/+|\/+$/g, "");
  if (!path.startsWith(prefix)) return undefined;
  return generatedSecrets(document).find(({ secret }) => secret.path === path.slice(prefix.length));
}
