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

/**
 * The generated secret a path names, if any: on Vault a KV v2 API path
 * ("secret/data/ml/prod/webhook"); on Infisical one key of its folder ("ml/prod/webhook/SIGNING_KEY").
 */
export function generatedSecretAt(document: PolicyDocument, apiPath: string): GeneratedSecret | undefined {
  const path = apiPath.replace(/^\/+|\/+$/g, "");
  if (document.backend.type === "infisical") {
    const folder = path.slice(0, path.lastIndexOf("/"));
    return generatedSecrets(document).find(({ secret }) => secret.path === folder);
  }
  const prefix = `${document.backend.mount}/data/`;
  if (!path.startsWith(prefix)) return undefined;
  return generatedSecrets(document).find(({ secret }) => secret.path === path.slice(prefix.length));
}
