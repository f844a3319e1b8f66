// What a target needs to know about one sync to write its backend login and operator manifests.
import type { KubernetesPrincipal } from "../../policy/document.ts";
import type { KubernetesCluster } from "./cluster.ts";

/** Workloads the operator restarts when a synced Secret changes (VSO's rolloutRestartTargets kinds). */
export type RolloutRestartKind = "Deployment" | "DaemonSet" | "StatefulSet" | "argo.Rollout";

export interface RolloutRestartTarget {
  readonly kind: RolloutRestartKind;
  readonly name: string;
}

/** One secret of the project and the Kubernetes Secret it becomes. */
export interface SyncedSecret {
  /** The secret's name in the project, e.g. "database" or "api/stripe". */
  readonly secret: string;
  /** The Kubernetes Secret's name in the namespace. */
  readonly destination: string;
}

export interface KubernetesSyncSpec {
  readonly project: string;
  /** The grant's id: the backend role or identity is named after it, as for every grant. */
  readonly grantId: string;
  readonly environment: string;
  readonly principal: KubernetesPrincipal;
  readonly cluster: KubernetesCluster;
  /** Resolved at synth, when every secret of the project is declared. */
  readonly secrets: () => readonly SyncedSecret[];
  readonly refreshAfterSeconds?: number;
  readonly rolloutRestart: readonly RolloutRestartTarget[];
}
