// The Vault/OpenBao target: a KV v2 mount for the secrets, a JWT auth mount trusting GitHub, and
// per grant an ACL policy with exactly the granted paths plus a JWT role bound to the job's claims
// (or an external identity group for an SSO group). Per Kubernetes cluster a Kubernetes auth mount
// of its own, and per service-account grant a role on it (whose policy also reads the static-creds
// of the database users its paths cover); a sync's operator manifests are written at synth.
// Rotation rules go into each secret's metadata, where the Action reads them. Attributes are
// written in key order: the stack writer then takes them as they are (provider/canonical-attributes.ts).
import { Construct, Lazy, TerraformStack } from "../cdk.ts";
import { SettledMapOutput } from "../settled-elements.ts";
import {
  VaultDataSource, VaultProvider, VaultResource, declareVaultResource, type AuthBackendAttributes, type DatabaseStaticRoleAttributes, type GenericEndpointAttributes,
  type IdentityGroupAliasAttributes, type IdentityGroupAttributes, type JwtAuthBackendAttributes,
  type JwtAuthBackendRoleAttributes, type KubernetesAuthBackendConfigAttributes, type KubernetesAuthBackendRoleAttributes,
  type KubernetesAuthMountAttributes, type MountAttributes, type PolicyAttributes,
} from "./vault-resources.ts";
import { undeclaredCluster, type KubernetesCluster } from "../kubernetes/cluster.ts";
import type { KubernetesSyncSpec } from "../kubernetes/sync-spec.ts";
import { vaultOperatorManifests } from "../kubernetes/vault-operator.ts";
import { kubernetesAuthPath } from "../../policy/kubernetes/auth-mount.ts";
import type { Grant, Secret } from "../../policy/document.ts";
import type { BoundTarget, DatabaseUser, IBackendTarget, TargetContext } from "./target.ts";
import { kvV2PolicyRules, renderPolicyHcl, type PolicyRule } from "../../policy/access/vault/kv-v2-rules.ts";
import { rotationMetadata } from "../../policy/rotation-metadata.ts";
import { DatabaseUsers } from "./vault-database-users.ts";
import { literalValue } from "./terraform-literal.ts";

export interface VaultKvV2Options {
  /** The KV v2 mount holding the secrets. @default "secret" */
  readonly mount?: string;
  /** Create the mount. Set false when it exists already (Vault dev servers pre-mount `secret/`). @default true */
  readonly createMount?: boolean;
  /** The JWT auth mount for CI logins. @default "jwt" */
  readonly authPath?: string;
  /** The auth mount people log in through with SSO (for SsoGroup grants). @default "oidc" */
  readonly ssoAuthPath?: string;
}

/** The static role of a database secret in one environment: "ml-prod-database". */
export function staticRoleName(project: string, environment: string, secret: string): string {
  return `${project}-${environment}-${secret.replace(/\//g, "-")}`;
}

/** A role's bound_claims: each claim's accepted values as Vault takes them, comma-separated. */
function boundClaims(claims: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const bound: Record<string, string> = {};
  for (const claim in claims) bound[claim] = claims[claim]!.join(",");
  return bound;
}

/** The paths of the rules under the data prefix: the secrets a CI job reads. */
function dataPaths(rules: readonly PolicyRule[], prefix: string): string[] {
  const paths: string[] = [];
  for (const rule of rules) if (rule.path.startsWith(prefix)) paths.push(rule.path);
  return paths;
}

function terraformName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

export class VaultBackend implements IBackendTarget {
  /** Secrets in a KV version 2 engine, at `<mount>/data/<project>/<environment>/<secret>`. */
  static kvV2(options: VaultKvV2Options = {}): VaultBackend {
    return new VaultBackend(options);
  }

  private constructor(private readonly options: VaultKvV2Options) {}

  bind(context: TargetContext): BoundTarget {
    return new BoundVault(context, this.options);
  }
}

class BoundVault implements BoundTarget {
  readonly document;
  private readonly mountPath: string;
  private ssoBackend: VaultDataSource<AuthBackendAttributes> | undefined;
  private readonly jwtPath: string;
  /** Per project, the output that maps each GitHub grant to the Action's inputs. */
  private readonly ciRoles = new Map<string, SettledMapOutput>();
  /** Per declared cluster, its own Kubernetes auth mount (one API host and CA per mount). */
  private readonly kubernetesMounts = new Map<string, { readonly path: string; readonly audience: string }>();
  /** The static roles of addDatabaseSecret, which service accounts read at static-creds/. */
  private readonly databaseUsers = new DatabaseUsers();
  /** Each secret's metadata as JSON: one text for all the environments it is declared in. */
  private readonly metadataTexts = new WeakMap<Secret, string>();

  constructor(
    private readonly context: TargetContext,
    private readonly options: VaultKvV2Options,
  ) {
    const { scope, issuerUrl } = context;
    const mount = options.mount ?? "secret";
    const authPath = options.authPath ?? "jwt";
    this.document = { type: "vault" as const, mount, authPath };
    const stack = TerraformStack.of(scope);
    if (!stack.node.findAll().some((construct) => construct instanceof VaultProvider)) new VaultProvider(stack, "vault");
    this.mountPath = options.createMount === false
      ? mount
      : new VaultResource<MountAttributes>(scope, "kv", "vault_mount", { description: "Secrets managed with Keybridge", options: { version: "2" }, path: mount, type: "kv" }).ref("path");
    const jwt = new VaultResource<JwtAuthBackendAttributes>(scope, "github-oidc", "vault_jwt_auth_backend", {
      bound_issuer: issuerUrl,
      description: "GitHub Actions OIDC logins (Keybridge)",
      oidc_discovery_url: issuerUrl,
      path: authPath,
      type: "jwt",
    });
    this.jwtPath = jwt.ref("path");
  }

  /** Vault has no projects or environments of its own: they are path segments. */
  addProject(): void {}

  addEnvironment(): void {}

  addSecret(scope: Construct, project: string, environment: string, secret: Secret): void {
    declareVaultResource<GenericEndpointAttributes>(scope, `metadata-${environment}`, "vault_generic_endpoint", {
      data_json: this.metadataJson(secret),
      // Metadata only: never read back into state, never deleted (that would delete every version).
      disable_delete: true,
      disable_read: true,
      ignore_absent_fields: true,
      path: `${this.mountPath}/metadata/${project}/${environment}/${secret.name}`,
    });
  }

  private metadataJson(secret: Secret): string {
    let text = this.metadataTexts.get(secret);
    if (text === undefined) {
      text = JSON.stringify({ custom_metadata: rotationMetadata(secret) });
      this.metadataTexts.set(secret, text);
    }
    return text;
  }

  /**
   * A static role of the database mount: Vault sets the user's password every rotation_period.
   * Jobs read it at <mount>/static-creds/<project>-<environment>-<secret>.
   */
  addDatabaseSecret(scope: Construct, project: string, environment: string, secret: Secret, database: DatabaseUser): void {
    const name = staticRoleName(project, environment, secret.name);
    this.databaseUsers.add(project, environment, secret.name, { mount: database.mount, role: name });
    declareVaultResource<DatabaseStaticRoleAttributes>(scope, `static-role-${environment}`, "vault_database_secret_backend_static_role", {
      backend: database.mount,
      db_name: database.connection,
      name,
      rotation_period: secret.rotation!.maxAgeSeconds,
      username: database.username,
    });
  }

  addGrant(scope: Construct, project: string, grant: Grant): void {
    const name = `${project}-${grant.id}`;
    const rules = kvV2PolicyRules(this.mountPath, project, grant);
    const { principal } = grant;
    const comment = `Keybridge grant ${grant.id} of project ${project}`;
    // A service account's operator reads database users at static-creds/; which secrets are
    // database users is known at synth, when every secret is declared.
    const policy = principal.kind === "kubernetes"
      ? Lazy.stringValue({ produce: () => renderPolicyHcl(comment, [...rules, ...this.databaseUsers.staticCredsRules(project, grant)]) })
      : renderPolicyHcl(comment, rules);
    const policyName = declareVaultResource<PolicyAttributes>(scope, "policy", "vault_policy", { name: `keybridge-${name}`, policy }).ref("name");
    if (principal.kind === "kubernetes") {
      const mount = this.kubernetesMounts.get(principal.cluster);
      if (!mount) throw undeclaredCluster(scope, principal.cluster);
      declareVaultResource<KubernetesAuthBackendRoleAttributes>(scope, "kubernetes-role", "vault_kubernetes_auth_backend_role", {
        audience: mount.audience,
        backend: mount.path,
        bound_service_account_names: [principal.serviceAccount],
        bound_service_account_namespaces: [principal.namespace],
        role_name: name,
        token_max_ttl: grant.tokenMaxTtlSeconds,
        token_policies: [policyName],
        token_ttl: grant.tokenTtlSeconds,
      });
      return;
    }
    if (principal.kind === "sso-group") {
      const group = declareVaultResource<IdentityGroupAttributes>(scope, "group", "vault_identity_group", { name: `keybridge-${name}`, policies: [policyName], type: "external" });
      declareVaultResource<IdentityGroupAliasAttributes>(scope, "group-alias", "vault_identity_group_alias", {
        canonical_id: group.ref("id"),
        mount_accessor: this.sso().ref("accessor"),
        name: principal.group,
      });
      return;
    }
    const role = declareVaultResource<JwtAuthBackendRoleAttributes>(scope, "role", "vault_jwt_auth_backend_role", {
      backend: this.jwtPath,
      bound_audiences: [principal.audience],
      bound_claims: boundClaims(principal.claims),
      bound_claims_type: principal.match === "glob" ? "glob" : "string",
      role_name: name,
      role_type: "jwt",
      token_max_ttl: grant.tokenMaxTtlSeconds,
      token_policies: [policyName],
      token_ttl: grant.tokenTtlSeconds,
      user_claim: "repository",
    });
    this.ciRolesOf(scope.node.scope!, project).setEntry(grant.id, {
      audience: principal.audience,
      claims: principal.claims,
      environment: grant.environment,
      path: this.jwtPath,
      role: role.ref("role_name"),
      secrets: dataPaths(rules, `${this.mountPath}/data/`),
    });
  }

  addKubernetesCluster(cluster: KubernetesCluster): void {
    const mount = new VaultResource<KubernetesAuthMountAttributes>(cluster, "vault-auth", "vault_auth_backend", {
      description: `Kubernetes logins of cluster ${cluster.clusterName} (Keybridge)`,
      path: kubernetesAuthPath(cluster.clusterName),
      type: "kubernetes",
    }).ref("path");
    new VaultResource<KubernetesAuthBackendConfigAttributes>(cluster, "vault-auth-config", "vault_kubernetes_auth_backend_config", {
      backend: mount,
      // Vault runs outside the cluster: never fall back to a pod's own CA and token.
      disable_local_ca_jwt: true,
      kubernetes_ca_cert: cluster.props.caCertificate,
      kubernetes_host: cluster.props.apiHost,
    });
    this.kubernetesMounts.set(cluster.clusterName, { path: mount, audience: cluster.props.audience ?? "vault" });
  }

  addKubernetesSync(_scope: Construct, sync: KubernetesSyncSpec): void {
    const authMount = kubernetesAuthPath(sync.cluster.clusterName);
    const facts = {
      kvMount: this.document.mount, authMount, role: `${sync.project}-${sync.grantId}`, audience: this.kubernetesMounts.get(sync.cluster.clusterName)!.audience,
      staticRole: (secret: string) => this.databaseUsers.staticRole(sync.project, sync.environment, secret),
      literal: (value: string) => literalValue(TerraformStack.of(this.context.scope), value),
    };
    this.context.manifests.add(sync.cluster.clusterName, () => vaultOperatorManifests(sync, facts));
  }

  /** One output per project (not per grant): what CI authors look up, and much cheaper to synthesize. */
  private ciRolesOf(projectScope: Construct, project: string): SettledMapOutput {
    let output = this.ciRoles.get(project);
    if (!output) {
      output = new SettledMapOutput(projectScope, "ci-roles", { description: `The Action's inputs (role, path, audience, secrets) for each GitHub grant of ${project}` });
      output.overrideLogicalId(terraformName(`ci_roles_${project}`));
      this.ciRoles.set(project, output);
    }
    return output;
  }

  private sso(): VaultDataSource<AuthBackendAttributes> {
    this.ssoBackend ??= new VaultDataSource<AuthBackendAttributes>(this.context.scope, "sso-auth", "vault_auth_backend", { path: this.options.ssoAuthPath ?? "oidc" });
    return this.ssoBackend;
  }
}
