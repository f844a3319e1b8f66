// A backend target turns the declarations into that backend's Terraform resources. The platform
// calls it as things are declared; the policy document is the same whatever the target.
import type { Construct } from "../cdk.ts";
import type { PolicyDocument, Grant as GrantDocument, Secret as SecretDocument } from "../../policy/document.ts";
import type { KubernetesCluster } from "../kubernetes/cluster.ts";
import type { KubernetesManifests } from "../kubernetes/manifests.ts";
import type { KubernetesSyncSpec } from "../kubernetes/sync-spec.ts";

export interface TargetContext {
  /** Where backend-wide resources go (the platform construct). */
  readonly scope: Construct;
  /** GitHub's OIDC issuer URL. */
  readonly issuerUrl: string;
  /** Where the operator manifests synth writes per cluster are collected. */
  readonly manifests: KubernetesManifests;
}

/** The database user of one environment, in a connection of a database secrets mount. */
export interface DatabaseUser {
  readonly mount: string;
  readonly connection: string;
  readonly username: string;
}

export interface BoundTarget {
  readonly document: PolicyDocument["backend"];
  /** A project was declared (before its environments, secrets and grants). */
  addProject(scope: Construct, project: string): void;
  /** An environment of a project was declared. */
  addEnvironment(scope: Construct, project: string, environment: { readonly name: string; readonly protected: boolean }): void;
  /** A secret exists in an environment: declare what the backend keeps about it (metadata). */
  addSecret(scope: Construct, project: string, environment: string, secret: SecretDocument): void;
  /**
   * A database user whose password the backend rotates (Rotation.byBackend): declare the backend's
   * own mechanism. Targets without one leave it out, and such secrets are refused at declaration.
   */
  addDatabaseSecret?(scope: Construct, project: string, environment: string, secret: SecretDocument, database: DatabaseUser): void;
  /** Declare the access: roles, policies, identity groups, and the outputs CI authors read. */
  addGrant(scope: Construct, project: string, grant: GrantDocument): void;
  /** A cluster was declared: the backend learns to check its service-account tokens. */
  addKubernetesCluster(cluster: KubernetesCluster): void;
  /** A grant to a service account is synced by the cluster's operator: write its manifests. */
  addKubernetesSync(scope: Construct, sync: KubernetesSyncSpec): void;
}

export interface IBackendTarget {
  bind(context: TargetContext): BoundTarget;
}
