// The Infisical operator's part: for each InfisicalSecret with a managed Secret in the namespace,
// a token of its kubernetesAuth service account (TokenRequest with its audiences when
// autoCreateServiceAccountToken, else the cluster's default audience, as a long-lived token
// has), the Kubernetes login of its identity, and the read of its secretsScope. The managed
// Secret gets one key per secret, as the operator writes them without a template.
import * as z from "zod";
import { createBackend } from "../../client/backends/create-backend.ts";
import type { InfisicalBackend } from "../../client/backends/infisical.ts";
import { ManifestError, where } from "./manifest-error.ts";
import { checked, describeObject, infisicalSecretSpec } from "./operator-resources.ts";
import type { ManifestObject } from "./read-manifests.ts";
import { checkKey, valueText, type SyncedSecret } from "./secret-data.ts";
import { serviceAccountToken, type DevTarget, type Logins } from "./dev-session.ts";

type Spec = z.infer<typeof infisicalSecretSpec>;
type ManagedSecret = NonNullable<Spec["managedSecretReference"]>;

function targetsIn(spec: Spec, namespace: string, at: string): ManagedSecret[] {
  const references = [...(spec.managedKubeSecretReferences ?? []), ...(spec.managedSecretReference ? [spec.managedSecretReference] : [])];
  references.forEach((reference, index) => {
    if (reference.template?.data && Object.keys(reference.template.data).length > 0) {
      throw new ManifestError(`${at}: spec.managedKubeSecretReferences[${index}].template.data: Go templates are not reproduced by keybridge sync; try the manifest without them`);
    }
  });
  return references.filter((reference) => reference.secretNamespace === namespace);
}

function kubernetesAuthOf(spec: Spec, at: string) {
  const auth = spec.authentication.kubernetesAuth;
  if (!auth) throw new ManifestError(`${at}: spec.authentication.kubernetesAuth is not set; keybridge sync logs in as a pod does, with Kubernetes auth`);
  const scope = auth.secretsScope;
  if (Boolean(scope.projectSlug) === Boolean(scope.projectId)) throw new ManifestError(`${at}: spec.authentication.kubernetesAuth.secretsScope: give exactly one of projectSlug and projectId`);
  if (scope.secretName && scope.recursive) throw new ManifestError(`${at}: spec.authentication.kubernetesAuth.secretsScope: secretName cannot be used with recursive; choose one`);
  return { ...auth, project: (scope.projectSlug ?? scope.projectId)!, scope };
}

async function readInfisical(object: ManifestObject, spec: Spec, target: DevTarget, logins: Logins, at: string): Promise<Map<string, string>> {
  const auth = kubernetesAuthOf(spec, at);
  const backend = createBackend(target.http, {
    backend: "infisical", url: target.addr,
    infisical: { identityId: auth.identityId, project: auth.project, environment: auth.scope.envSlug, recursive: auth.scope.recursive ?? false, includeImports: true, expandReferences: true },
  }) as InfisicalBackend;
  const { session } = await logins.once(`infisical:${object.namespace}/${object.name}`, async () => {
    const audiences = auth.autoCreateServiceAccountToken ? auth.serviceAccountTokenAudiences ?? [] : [];
    const jwt = await serviceAccountToken(target, target.cluster ?? "default", auth.serviceAccountRef, audiences, 600);
    return { backend, session: await backend.loginWithKubernetes(jwt) };
  });
  const read = await backend.read(session, auth.scope.secretsPath);
  if (read.hiddenKeys && read.hiddenKeys.size > 0) {
    throw new ManifestError(`${at}: keys ${[...read.hiddenKeys].sort().join(", ")} of ${auth.scope.secretsPath} are hidden from identity ${auth.identityId}; give it read on their values`);
  }
  const entries = Object.entries(read.data).filter(([key]) => !auth.scope.secretName || key === auth.scope.secretName);
  if (auth.scope.secretName && entries.length === 0) throw new ManifestError(`${at}: spec.authentication.kubernetesAuth.secretsScope.secretName: ${auth.scope.secretName} is not in ${auth.scope.envSlug}:${auth.scope.secretsPath}`);
  return new Map(entries.map(([key, value]) => [key, valueText(value)]));
}

/** The Secrets the Infisical operator would write into `namespace`. */
export async function syncInfisicalSecrets(objects: readonly ManifestObject[], namespace: string, target: DevTarget, logins: Logins): Promise<SyncedSecret[]> {
  const synced = await Promise.all(objects.filter((object) => object.kind === "InfisicalSecret").map(async (object) => {
    const entry = checked(object, infisicalSecretSpec);
    const at = `${where(object.origin)}: ${describeObject(object)}`;
    const targets = targetsIn(entry.spec, namespace, at);
    if (targets.length === 0) return [];
    const data = await readInfisical(object, entry.spec, target, logins, at);
    for (const key of data.keys()) checkKey(key, at);
    return targets.map((reference) => ({ secretName: reference.secretName, namespace, source: describeObject(object), data }));
  }));
  return synced.flat();
}
