// The Infisical target: per project a project with exactly the declared environments (no default
// ones behind the user's back) and a folder per secret; per GitHub grant a machine identity with
// OIDC auth bound to the job's claims and a short token life, and a project role limited to the
// granted environment and folders; per service-account grant (a Kubernetes sync) an identity with
// Kubernetes auth, and the operator's manifests written by Terraform at apply; per SSO grant the
// group's project membership with that role.
// Rotation rules are written into each folder's description (no rotation type applies).
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { Annotations, Construct, TerraformStack } from "../cdk.ts";
import type { ResourceAddress } from "../deferred-resources.ts";
import { SettledMapOutput } from "../settled-elements.ts";
import type { Capability, GitHubOidcPrincipal, Grant, KubernetesPrincipal, Secret } from "../../policy/document.ts";
import { stableStringify } from "../../policy/canonical.ts";
import { describeDuration } from "../../policy/duration-text.ts";
import type { BoundTarget, IBackendTarget, TargetContext } from "./target.ts";
import {
  InfisicalProvider, InfisicalResource, declareInfisicalResource, type EnvironmentAttributes, type FolderAttributes, type IdentityAttributes,
  type KubernetesAuthAttributes, type OidcAuthAttributes, type PermissionV2, type ProjectAttributes, type ProjectGroupAttributes, type ProjectIdentityAttributes,
  type ProjectRoleAttributes,
} from "./infisical-resources.ts";
import { undeclaredCluster, type KubernetesCluster } from "../kubernetes/cluster.ts";
import { manifestDirectory, renderManifests, type KubernetesObject } from "../kubernetes/manifests.ts";
import type { KubernetesSyncSpec } from "../kubernetes/sync-spec.ts";
import { infisicalOperatorManifests } from "../kubernetes/infisical-operator.ts";
import { LocalFile, type ReferenceMarker } from "./local-file.ts";

export interface InfisicalProjectOptions {
  /** The Infisical address, also given to the provider. @default "https://app.infisical.com" */
  readonly url?: string;
  /** The organization the CI identities belong to (their org role is no-access). */
  readonly organizationId: string;
  /** Requests an identity's access token may make before it dies; 0 is unlimited. @default 0 */
  readonly tokenUsesLimit?: number;
}

/** Infisical permission actions for each of our capabilities. */
const secretActions: Record<Capability, readonly string[]> = {
  read: ["describeSecret", "readValue"],
  list: ["describeSecret"],
  write: ["create", "edit"],
  delete: ["delete"],
};

function terraformName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The folder condition of a grant path: one folder, a folder and everything below, or none. */
function pathCondition(path: string): Record<string, unknown> {
  if (path === "*") return {};
  if (path.endsWith("/*")) return { secretPath: { $glob: `/${path.slice(0, -2)}/**` } };
  return { secretPath: { $eq: `/${path}` } };
}

export function grantPermissions(grant: Pick<Grant, "environment" | "paths" | "capabilities">): PermissionV2[] {
  const actions = [...new Set(grant.capabilities.flatMap((capability) => secretActions[capability]))].sort();
  const environment = grant.environment === "*" ? {} : { environment: { $eq: grant.environment } };
  return grant.paths.flatMap((path) => {
    // Compact JSON with sorted keys: the same conditions always synthesize the same string.
    const conditions = JSON.stringify(JSON.parse(stableStringify({ ...environment, ...pathCondition(path) })));
    return [
      { subject: "secrets", action: actions, conditions },
      { subject: "secret-folders", action: ["read"], conditions },
    ];
  });
}

export function rotationDescription(secret: Secret): string {
  const rotation = secret.rotation ? `; rotation: at most ${describeDuration(secret.rotation.maxAgeSeconds)} old (${secret.rotation.strategy})` : "";
  return `Keybridge secret ${secret.name}; keys: ${[...secret.keys].sort().join(", ") || "(not listed)"}${rotation}`;
}

export class InfisicalBackend implements IBackendTarget {
  /** Secrets in Infisical projects: `<project>` / `<environment>` / folder `/<secret>`. */
  static project(options: InfisicalProjectOptions): InfisicalBackend {
    if (!/^[A-Za-z0-9-]+$/.test(options.organizationId)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `InfisicalBackend.project: organizationId "${options.organizationId}" is not an Infisical organization id`);
    }
    return new InfisicalBackend(options);
  }

  private constructor(private readonly options: InfisicalProjectOptions) {}

  bind(context: TargetContext): BoundTarget {
    return new BoundInfisical(context, this.options);
  }
}

interface ProjectResources {
  readonly project: InfisicalResource<ProjectAttributes>;
  readonly environments: Map<string, InfisicalResource<EnvironmentAttributes>>;
  /** Folders declared so far, by "<environment>:<path>". */
  readonly folders: Map<string, ResourceAddress>;
}

class BoundInfisical implements BoundTarget {
  readonly document;
  private readonly projects = new Map<string, ProjectResources>();
  /** Per project, the output that maps each GitHub grant to the Action's inputs. */
  private readonly ciIdentities = new Map<string, SettledMapOutput>();
  private readonly clusters = new Map<string, KubernetesCluster>();
  /** Per service-account grant ("<project>/<grant id>"), its identity's ID (known at apply). */
  private readonly kubernetesIdentities = new Map<string, string>();
  /** Per cluster, the producers of the manifests Terraform writes at apply. */
  private readonly clusterManifests = new Map<string, Array<(reference: ReferenceMarker) => readonly KubernetesObject[]>>();

  constructor(
    private readonly context: TargetContext,
    private readonly options: InfisicalProjectOptions,
  ) {
    const url = options.url ?? "https://app.infisical.com";
    this.document = { type: "infisical" as const, url };
    const stack = TerraformStack.of(context.scope);
    if (!stack.node.findAll().some((construct) => construct instanceof InfisicalProvider)) new InfisicalProvider(stack, "infisical", { host: url });
  }

  addProject(scope: Construct, project: string): void {
    const resource = new InfisicalResource<ProjectAttributes>(scope, "project", "infisical_project", {
      name: project, slug: project, description: "Managed with Keybridge", should_create_default_envs: false,
    });
    this.projects.set(project, { project: resource, environments: new Map(), folders: new Map() });
  }

  addEnvironment(scope: Construct, project: string, environment: { readonly name: string }): void {
    const resources = this.projects.get(project)!;
    resources.environments.set(environment.name, new InfisicalResource<EnvironmentAttributes>(scope, `environment-${environment.name}`, "infisical_project_environment", {
      name: environment.name, slug: environment.name, project_id: resources.project.ref("id"),
    }));
  }

  /** A folder per path segment, each once per environment; the secret's own folder carries its rules. */
  addSecret(scope: Construct, project: string, environment: string, secret: Secret): void {
    const resources = this.projects.get(project)!;
    const segments = secret.name.split("/");
    segments.forEach((name, index) => {
      const parent = `/${segments.slice(0, index).join("/")}`;
      const key = `${environment}:${parent === "/" ? "" : parent}/${name}`;
      if (resources.folders.has(key) && index < segments.length - 1) return;
      const isSecret = index === segments.length - 1;
      const folder = declareInfisicalResource<FolderAttributes>(isSecret ? scope : resources.project, `folder-${environment}-${segments.slice(0, index + 1).join("--")}`, "infisical_secret_folder", {
        project_id: resources.project.ref("id"),
        environment_slug: resources.environments.get(environment)?.ref("slug") ?? environment,
        folder_path: index === 0 ? "/" : (resources.folders.get(`${environment}:${parent}`)?.ref("path") ?? parent),
        name,
        ...(isSecret ? { description: rotationDescription(secret) } : {}),
      });
      resources.folders.set(key, folder);
    });
  }

  addGrant(scope: Construct, project: string, grant: Grant): void {
    const resources = this.projects.get(project)!;
    const name = `keybridge-${project}-${grant.id}`;
    const role = declareInfisicalResource<ProjectRoleAttributes>(scope, "role", "infisical_project_role", {
      project_slug: resources.project.ref("slug"),
      name,
      slug: name,
      description: `Keybridge grant ${grant.id}: ${grant.capabilities.join(", ")} on ${grant.paths.join(", ")} in ${grant.environment === "*" ? "every environment" : grant.environment}`,
      permissions_v2: grantPermissions(grant),
    });
    const roles = [{ role_slug: role.ref("slug") }];
    const { principal } = grant;
    if (principal.kind === "sso-group") {
      declareInfisicalResource<ProjectGroupAttributes>(scope, "group", "infisical_project_group", { project_id: resources.project.ref("id"), group_name: principal.group, roles });
      return;
    }
    const identity = declareInfisicalResource<IdentityAttributes>(scope, "identity", "infisical_identity", { name, org_id: this.options.organizationId, role: "no-access" });
    if (principal.kind === "kubernetes") this.addKubernetesAuth(scope, identity.ref("id"), grant, principal);
    else this.addOidcAuth(scope, identity.ref("id"), grant, principal);
    declareInfisicalResource<ProjectIdentityAttributes>(scope, "membership", "infisical_project_identity", { project_id: resources.project.ref("id"), identity_id: identity.ref("id"), roles });
    if (principal.kind === "kubernetes") {
      this.kubernetesIdentities.set(`${project}/${grant.id}`, identity.ref("id"));
      return;
    }
    this.ciIdentitiesOf(scope.node.scope!, project).setEntry(grant.id, {
      environment: grant.environment,
      folders: grant.paths.map((path) => `/${path}`),
      identity_id: identity.ref("id"),
      project: resources.project.ref("slug"),
    });
  }

  addKubernetesCluster(cluster: KubernetesCluster): void {
    this.clusters.set(cluster.clusterName, cluster);
  }

  /** The cluster's manifests need the identity's ID, so Terraform writes them at apply, one file per cluster. */
  addKubernetesSync(scope: Construct, sync: KubernetesSyncSpec): void {
    if (sync.rolloutRestart.length > 0) Annotations.of(scope).addWarning("rolloutRestart is not written: the Infisical operator's InfisicalSecret has no rollout targets");
    const name = sync.cluster.clusterName;
    const identityReference = this.kubernetesIdentities.get(`${sync.project}/${sync.grantId}`)!;
    const facts = (reference: ReferenceMarker) => ({ address: sync.cluster.props.backendAddress, identityId: reference(identityReference), audience: this.audienceOf(sync.cluster) });
    let producers = this.clusterManifests.get(name);
    if (!producers) {
      const all: Array<(reference: ReferenceMarker) => readonly KubernetesObject[]> = [];
      producers = all;
      this.clusterManifests.set(name, all);
      new LocalFile(sync.cluster, "infisical-manifests", `${manifestDirectory}/${name}.yaml`, (reference) => renderManifests(name, all.flatMap((produce) => produce(reference)), "Terraform at apply (from Keybridge synth)"));
    }
    producers.push((reference) => infisicalOperatorManifests(sync, facts(reference)));
  }

  private audienceOf(cluster: KubernetesCluster): string {
    return cluster.props.audience ?? "infisical";
  }

  /** A CI job logs in with its GitHub OIDC token, bound to the job's claims and audience. */
  private addOidcAuth(scope: Construct, identityId: string, grant: Grant, principal: GitHubOidcPrincipal): void {
    declareInfisicalResource<OidcAuthAttributes>(scope, "oidc-auth", "infisical_identity_oidc_auth", {
      identity_id: identityId,
      oidc_discovery_url: this.context.issuerUrl,
      bound_issuer: this.context.issuerUrl,
      bound_audiences: [principal.audience],
      // Infisical reads a comma list as "any of", and matches every value as a glob.
      bound_claims: Object.fromEntries(Object.entries(principal.claims).map(([claim, values]) => [claim, values.join(", ")])),
      access_token_ttl: grant.tokenTtlSeconds,
      access_token_max_ttl: grant.tokenMaxTtlSeconds,
      access_token_num_uses_limit: this.options.tokenUsesLimit ?? 0,
    });
  }

  /** Kubernetes auth checks the token by a TokenReview at the cluster's API, and admits only this service account. */
  private addKubernetesAuth(scope: Construct, identityId: string, grant: Grant, principal: KubernetesPrincipal): void {
    const cluster = this.clusters.get(principal.cluster);
    if (!cluster) throw undeclaredCluster(scope, principal.cluster);
    declareInfisicalResource<KubernetesAuthAttributes>(scope, "kubernetes-auth", "infisical_identity_kubernetes_auth", {
      identity_id: identityId,
      kubernetes_host: cluster.props.apiHost,
      kubernetes_ca_certificate: cluster.props.caCertificate,
      allowed_namespaces: [principal.namespace],
      allowed_service_account_names: [principal.serviceAccount],
      allowed_audience: this.audienceOf(cluster),
      access_token_ttl: grant.tokenTtlSeconds,
      access_token_max_ttl: grant.tokenMaxTtlSeconds,
      access_token_num_uses_limit: this.options.tokenUsesLimit ?? 0,
    });
  }

  /** One output per project: the identity, project and folders of each GitHub grant. */
  private ciIdentitiesOf(projectScope: Construct, project: string): SettledMapOutput {
    let output = this.ciIdentities.get(project);
    if (!output) {
      output = new SettledMapOutput(projectScope, "ci-identities", { description: `The Action's inputs (identity-id, project, folders) for each GitHub grant of ${project}` });
      output.overrideLogicalId(terraformName(`ci_identities_${project}`));
      this.ciIdentities.set(project, output);
    }
    return output;
  }
}
