// The Vault Secrets Operator's resources for one sync (secrets.hashicorp.com/v1beta1): the
// namespace's VaultConnection, a VaultAuth that logs in with the service account's token at the
// cluster's own Kubernetes auth mount, and a VaultStaticSecret per synced KV v2 secret.
import { objectName, type KubernetesObject } from "./manifests.ts";
import type { KubernetesSyncSpec } from "./sync-spec.ts";

const apiVersion = "secrets.hashicorp.com/v1beta1";
/** The namespace's VaultConnection; every VaultAuth of the namespace names it. */
export const vaultConnectionName = "keybridge-vault";

export interface VaultSyncFacts {
  /** The KV v2 mount of the secrets. */
  readonly kvMount: string;
  /** The cluster's Kubernetes auth mount. */
  readonly authMount: string;
  /** The Vault role bound to the service account. */
  readonly role: string;
  readonly audience: string;
}

export function vaultOperatorManifests(sync: KubernetesSyncSpec, facts: VaultSyncFacts): KubernetesObject[] {
  const { namespace, serviceAccount } = sync.principal;
  const metadata = (name: string) => ({ name, namespace });
  const authName = objectName(facts.role);
  const restart = sync.rolloutRestart.length > 0 ? { rolloutRestartTargets: sync.rolloutRestart.map(({ kind, name }) => ({ kind, name })) } : {};
  return [
    { apiVersion, kind: "VaultConnection", metadata: metadata(vaultConnectionName), spec: { address: sync.cluster.props.backendAddress, skipTLSVerify: false } },
    {
      apiVersion,
      kind: "VaultAuth",
      metadata: metadata(authName),
      spec: {
        vaultConnectionRef: vaultConnectionName,
        method: "kubernetes",
        mount: facts.authMount,
        kubernetes: { role: facts.role, serviceAccount, audiences: [facts.audience] },
      },
    },
    ...sync.secrets().map(({ secret, destination }) => ({
      apiVersion,
      kind: "VaultStaticSecret",
      metadata: metadata(destination),
      spec: {
        vaultAuthRef: authName,
        type: "kv-v2",
        mount: facts.kvMount,
        // Relative to the mount, without data/: the operator adds it for kv-v2.
        path: `${sync.project}/${sync.environment}/${secret}`,
        ...(sync.refreshAfterSeconds === undefined ? {} : { refreshAfter: `${sync.refreshAfterSeconds}s` }),
        destination: { name: destination, create: true },
        ...restart,
      },
    })),
  ];
}
