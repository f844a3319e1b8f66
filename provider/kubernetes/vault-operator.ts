// The Vault Secrets Operator's resources for one sync (secrets.hashicorp.com/v1beta1): the
// namespace's VaultConnection, a VaultAuth that logs in with the service account's token at the
// cluster's own Kubernetes auth mount, and a VaultStaticSecret per synced KV v2 secret (a
// VaultDynamicSecret with allowStaticCreds for a database user that Vault rotates).
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
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
  /** The static role behind a synced secret that is a database user (addDatabaseSecret). */
  readonly staticRole: (secret: string) => { readonly mount: string; readonly role: string } | undefined;
  /** A mount's path as text (a reference resolved to the text its resource sets), or undefined. */
  readonly literal: (value: string) => string | undefined;
}

/** These manifests are written at synth: a mount only Terraform knows cannot go into them. */
function literalMount(mount: string, secret: string, sync: KubernetesSyncSpec, facts: VaultSyncFacts): string {
  const text = facts.literal(mount);
  if (text !== undefined) return text;
  throw new KeybridgeError("KB_SYNTH_INVALID",
    `cluster ${sync.cluster.clusterName}: database secret "${secret}" of ${sync.project} is synced, but its mount (${mount}) is known only at apply and the manifests are written at synth; give addDatabaseSecret the mount's path, or a reference to a mount of this stack whose path is text`);
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
    ...sync.secrets().map(({ secret, destination }): KubernetesObject => {
      const staticRole = facts.staticRole(secret);
      const rest = {
        ...(sync.refreshAfterSeconds === undefined ? {} : { refreshAfter: `${sync.refreshAfterSeconds}s` }),
        destination: { name: destination, create: true },
        ...restart,
      };
      if (staticRole) {
        // Vault rotates the password itself: the operator re-reads when the rotation's ttl ends.
        const spec = { vaultAuthRef: authName, mount: literalMount(staticRole.mount, secret, sync, facts), path: `static-creds/${staticRole.role}`, allowStaticCreds: true, ...rest };
        return { apiVersion, kind: "VaultDynamicSecret", metadata: metadata(destination), spec };
      }
      // Relative to the mount, without data/: the operator adds it for kv-v2.
      const spec = { vaultAuthRef: authName, type: "kv-v2", mount: facts.kvMount, path: `${sync.project}/${sync.environment}/${secret}`, ...rest };
      return { apiVersion, kind: "VaultStaticSecret", metadata: metadata(destination), spec };
    }),
  ];
}
