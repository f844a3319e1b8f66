// The Infisical operator's resource for one sync: an InfisicalSecret (secrets.infisical.com/
// v1alpha1) per synced folder, logging in with Kubernetes auth as the sync's machine identity.
// That resource takes the identity's ID inline, and Infisical makes the ID only at apply time, so
// the target has Terraform write these manifests (the ID is a reference here).
import type { KubernetesObject } from "./manifests.ts";
import type { KubernetesSyncSpec } from "./sync-spec.ts";

export interface InfisicalSyncFacts {
  /** The Infisical URL the operator uses; the resource wants the API base, with /api. */
  readonly address: string;
  /** The identity's ID: a Terraform reference, resolved at apply. */
  readonly identityId: string;
  readonly audience: string;
}

export function infisicalOperatorManifests(sync: KubernetesSyncSpec, facts: InfisicalSyncFacts): KubernetesObject[] {
  const { namespace, serviceAccount } = sync.principal;
  return sync.secrets().map(({ secret, destination }) => ({
    apiVersion: "secrets.infisical.com/v1alpha1",
    kind: "InfisicalSecret",
    metadata: { name: destination, namespace },
    spec: {
      hostAPI: `${facts.address.replace(/\/+$/, "")}/api`,
      authentication: {
        kubernetesAuth: {
          identityId: facts.identityId,
          // A fresh 600 s token by TokenRequest, with the audience Infisical's auth checks.
          autoCreateServiceAccountToken: true,
          serviceAccountTokenAudiences: [facts.audience],
          serviceAccountRef: { name: serviceAccount, namespace },
          secretsScope: { projectSlug: sync.project, envSlug: sync.environment, secretsPath: `/${secret}` },
        },
      },
      managedKubeSecretReferences: [{ secretName: destination, secretNamespace: namespace, creationPolicy: "Owner" }],
      ...(sync.refreshAfterSeconds === undefined ? {} : { syncConfig: { resyncInterval: `${sync.refreshAfterSeconds}s` } }),
    },
  }));
}
