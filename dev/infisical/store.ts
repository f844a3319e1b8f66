// The Infisical side's state and the only ways to change it: what the Terraform loader applies
// (projects, environments, folders, secrets, imports, identities, their auth, roles, memberships)
// with the checks Infisical's API makes, and the lookups the API routes need. A refusal is a
// StoreError: one line that names the bad value (never a secret) and what to do.
import { withCode } from "../../policy/errors/keybridge-error.ts";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type {
  AwsAuthConfig, ClientSecret, Environment, Folder, Identity, KubernetesAuthConfig, Membership, OidcAuthConfig, Project, ProjectRole, RoleBinding, SecretImport,
  SecretRecord, TokenLimits, UniversalAuthConfig,
} from "./model.ts";
import { builtinRoles, type PermissionRule } from "./permissions.ts";
import { folderNameShape, joinFolderPath, normalizeFolderPath } from "./paths.ts";

export class StoreError extends withCode("KB_DEV_CONFIG_INVALID") {}

const defaultEnvironments = [
  { slug: "dev", name: "Development" },
  { slug: "staging", name: "Staging" },
  { slug: "prod", name: "Production" },
];

export const secretDigest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

export class InfisicalStore {
  private readonly projects = new Map<string, Project>();
  private readonly identities = new Map<string, Identity>();
  private readonly oidcAuths = new Map<string, OidcAuthConfig>();
  private readonly universalAuths = new Map<string, UniversalAuthConfig>();
  private readonly kubernetesAuths = new Map<string, KubernetesAuthConfig>();
  private readonly awsAuths = new Map<string, AwsAuthConfig>();

  constructor(
    private readonly now: () => number,
    /** Told the API host of each Kubernetes auth attached (the clusters keybridge dev plays). */
    private readonly onKubernetesHost: (host: string) => void = () => {},
  ) {}

  // --- projects, environments, folders, secrets, imports

  createProject(input: { name: string; slug: string; description: string; createDefaultEnvironments: boolean }): Project {
    if (this.projectBySlug(input.slug)) throw new StoreError(`project slug "${input.slug}" is taken by another project; give each infisical_project its own slug`);
    const project: Project = {
      id: randomUUID(), slug: input.slug, name: input.name, description: input.description,
      environments: new Map(), roles: new Map(), identityMemberships: new Map(), groupMemberships: new Map(),
    };
    this.projects.set(project.id, project);
    if (input.createDefaultEnvironments) {
      defaultEnvironments.forEach((environment, position) => this.createEnvironment({ projectId: project.id, ...environment, position: position + 1 }));
    }
    return project;
  }

  projectById(id: string): Project | undefined {
    return this.projects.get(id);
  }

  projectBySlug(slug: string): Project | undefined {
    return [...this.projects.values()].find((project) => project.slug === slug);
  }

  createEnvironment(input: { projectId: string; slug: string; name: string; position?: number }): Environment {
    const project = this.project(input.projectId);
    if (project.environments.has(input.slug)) {
      throw new StoreError(`environment "${input.slug}" already exists in project ${project.slug}${input.slug === "dev" || input.slug === "staging" || input.slug === "prod" ? " (should_create_default_envs creates dev, staging and prod; set it to false)" : ""}; declare it once`);
    }
    const root: Folder = { id: randomUUID(), path: "/", name: "root", description: "", secrets: new Map(), history: new Map(), imports: [] };
    const environment: Environment = {
      id: randomUUID(), slug: input.slug, name: input.name, position: input.position ?? project.environments.size + 1,
      folders: new Map([["/", root]]),
    };
    project.environments.set(environment.slug, environment);
    return environment;
  }

  createFolder(input: { projectId: string; environment: string; parentPath: string; name: string; description: string }): Folder & { environmentId: string } {
    if (!folderNameShape.test(input.name)) {
      throw new StoreError(`folder name "${input.name}" may only hold letters, digits, "-" and "_"; rename it`);
    }
    const environment = this.environment(input.projectId, input.environment);
    const parent = this.folder(environment, input.parentPath);
    const path = joinFolderPath(parent.path, input.name);
    if (environment.folders.has(path)) throw new StoreError(`folder ${path} already exists in ${environment.slug}; declare it once`);
    const folder: Folder = { id: randomUUID(), path, name: input.name, description: input.description, secrets: new Map(), history: new Map(), imports: [] };
    environment.folders.set(path, folder);
    return { ...folder, environmentId: environment.id };
  }

  createSecret(input: {
    projectId: string; environment: string; folderPath: string; key: string; value: string;
    metadata: Readonly<Record<string, string>>; reminder: SecretRecord["reminder"];
  }): SecretRecord {
    if (input.key === "" || /\s/.test(input.key)) throw new StoreError(`secret name "${input.key}" must be non-empty and hold no spaces; rename it`);
    const folder = this.folder(this.environment(input.projectId, input.environment), input.folderPath);
    if (folder.secrets.has(input.key)) throw new StoreError(`secret ${input.key} already exists in ${input.environment}:${folder.path}; declare it once`);
    const stamp = new Date(this.now()).toISOString();
    const secret: SecretRecord = {
      id: randomUUID(), key: input.key, value: input.value, version: 1,
      metadata: Object.entries(input.metadata).map(([key, value]) => ({ key, value })),
      reminder: input.reminder, createdAt: stamp, updatedAt: stamp,
    };
    folder.secrets.set(secret.key, secret);
    return secret;
  }

  /** A write through the API: the key's next version, the one it replaces kept in the folder's history. */
  updateSecretValue(folder: Folder, key: string, value: string): SecretRecord {
    const current = folder.secrets.get(key);
    if (!current) throw new StoreError(`secret ${key} does not exist in ${folder.path}; create it first`);
    const next: SecretRecord = { ...current, value, version: current.version + 1, updatedAt: new Date(this.now()).toISOString() };
    folder.history.set(key, [...(folder.history.get(key) ?? []), current]);
    folder.secrets.set(key, next);
    return next;
  }

  createImport(input: { projectId: string; environment: string; folderPath: string; fromEnvironment: string; fromPath: string; isReplication: boolean }): SecretImport {
    const target = this.folder(this.environment(input.projectId, input.environment), input.folderPath);
    const source = this.folder(this.environment(input.projectId, input.fromEnvironment), input.fromPath);
    if (input.environment === input.fromEnvironment && target.path === source.path) {
      throw new StoreError(`folder ${input.environment}:${target.path} cannot import itself; import another folder`);
    }
    if (target.imports.some((entry) => entry.environment === input.fromEnvironment && entry.path === source.path)) {
      throw new StoreError(`${input.environment}:${target.path} already imports ${input.fromEnvironment}:${source.path}; declare the import once`);
    }
    const entry: SecretImport = { id: randomUUID(), environment: input.fromEnvironment, path: source.path, isReplication: input.isReplication };
    target.imports.push(entry);
    return entry;
  }

  // --- identities and their auth

  createIdentity(input: { name: string; orgId: string; orgRole: string }): Identity {
    const identity: Identity = { id: randomUUID(), name: input.name, orgId: input.orgId, orgRole: input.orgRole, authModes: new Set() };
    this.identities.set(identity.id, identity);
    return identity;
  }

  identity(id: string): Identity | undefined {
    return this.identities.get(id);
  }

  /** One auth method's config for an identity, which may have each method once. */
  private attach<Config extends TokenLimits & { readonly id: string; readonly identityId: string }>(
    configs: Map<string, Config>, mode: string, what: { readonly label: string; readonly resource: string }, config: Config,
  ): Config {
    const identity = this.requireIdentity(config.identityId);
    if (configs.has(identity.id)) throw new StoreError(`Failed to add ${what.label} to already configured identity ${identity.id}; declare one ${what.resource} per identity`);
    checkLimits(config);
    configs.set(identity.id, config);
    identity.authModes.add(mode);
    return config;
  }

  attachOidcAuth(input: Omit<OidcAuthConfig, "id">): OidcAuthConfig {
    return this.attach(this.oidcAuths, "oidc-auth", { label: "OIDC Auth", resource: "infisical_identity_oidc_auth" }, { ...input, id: randomUUID() });
  }

  oidcAuth(identityId: string): OidcAuthConfig | undefined {
    return this.oidcAuths.get(identityId);
  }

  attachKubernetesAuth(input: Omit<KubernetesAuthConfig, "id">): KubernetesAuthConfig {
    const config = this.attach(this.kubernetesAuths, "kubernetes-auth", { label: "Kubernetes Auth", resource: "infisical_identity_kubernetes_auth" }, { ...input, id: randomUUID() });
    this.onKubernetesHost(config.kubernetesHost);
    return config;
  }

  kubernetesAuth(identityId: string): KubernetesAuthConfig | undefined {
    return this.kubernetesAuths.get(identityId);
  }

  attachAwsAuth(input: Omit<AwsAuthConfig, "id">): AwsAuthConfig {
    return this.attach(this.awsAuths, "aws-auth", { label: "AWS Auth", resource: "infisical_identity_aws_auth" }, { ...input, id: randomUUID() });
  }

  awsAuth(identityId: string): AwsAuthConfig | undefined {
    return this.awsAuths.get(identityId);
  }

  attachUniversalAuth(input: Omit<UniversalAuthConfig, "id" | "clientId" | "clientSecrets">): UniversalAuthConfig {
    const config: UniversalAuthConfig = { ...input, id: randomUUID(), clientId: randomUUID(), clientSecrets: [] };
    return this.attach(this.universalAuths, "universal-auth", { label: "Universal Auth", resource: "infisical_identity_universal_auth" }, config);
  }

  /** Removes one of the identity's auth methods; the removed config, or undefined when it had none. */
  detachAuth(identityId: string, method: "oidc-auth" | "universal-auth" | "kubernetes-auth" | "aws-auth"): (TokenLimits & { readonly id: string }) | undefined {
    const configs: Map<string, TokenLimits & { readonly id: string }> = {
      "oidc-auth": this.oidcAuths, "universal-auth": this.universalAuths, "kubernetes-auth": this.kubernetesAuths, "aws-auth": this.awsAuths,
    }[method];
    const removed = configs.get(identityId);
    if (!removed) return undefined;
    configs.delete(identityId);
    this.identities.get(identityId)?.authModes.delete(method);
    return removed;
  }

  universalAuth(identityId: string): UniversalAuthConfig | undefined {
    return this.universalAuths.get(identityId);
  }

  universalAuthByClientId(clientId: string): UniversalAuthConfig | undefined {
    return [...this.universalAuths.values()].find((config) => config.clientId === clientId);
  }

  /** A new client secret; its value is returned once, only its digest is kept. */
  createClientSecret(input: { identityId: string; ttl: number; usesLimit: number }): { secret: ClientSecret; clientId: string; value: string } {
    const config = this.universalAuths.get(input.identityId);
    if (!config) throw new StoreError(`identity ${input.identityId} has no universal auth; add an infisical_identity_universal_auth for it first (depends_on)`);
    if (input.ttl < 0 || input.usesLimit < 0) throw new StoreError("ttl and number_of_uses_limit must be 0 or more");
    const value = randomBytes(32).toString("hex");
    const secret: ClientSecret = { id: randomUUID(), digest: secretDigest(value), createdAt: this.now(), ttl: input.ttl, usesLimit: input.usesLimit, uses: 0 };
    config.clientSecrets.push(secret);
    return { secret, clientId: config.clientId, value };
  }

  // --- roles and memberships

  createRole(input: { projectId: string; slug: string; name: string; description: string; rules: readonly PermissionRule[] }): ProjectRole {
    const project = this.project(input.projectId);
    if (builtinRoles[input.slug]) throw new StoreError(`role slug "${input.slug}" is a built-in project role; choose another slug`);
    if (project.roles.has(input.slug)) throw new StoreError(`role "${input.slug}" already exists in project ${project.slug}; declare it once`);
    const role: ProjectRole = { id: randomUUID(), slug: input.slug, name: input.name, description: input.description, rules: input.rules };
    project.roles.set(role.slug, role);
    return role;
  }

  addIdentityMembership(input: { projectId: string; identityId: string; roles: readonly (RoleBinding & { customRoleId?: string })[] }): Membership {
    const project = this.project(input.projectId);
    const identity = this.requireIdentity(input.identityId);
    if (project.identityMemberships.has(identity.id)) throw new StoreError(`identity ${identity.name} is already a member of project ${project.slug}; declare one membership`);
    const membership: Membership = { id: randomUUID(), roles: this.checkedRoles(project, input.roles) };
    project.identityMemberships.set(identity.id, membership);
    return membership;
  }

  addGroupMembership(input: { projectId: string; group: string; roles: readonly (RoleBinding & { customRoleId?: string })[] }): Membership {
    const project = this.project(input.projectId);
    if (project.groupMemberships.has(input.group)) throw new StoreError(`group ${input.group} is already a member of project ${project.slug}; declare one membership`);
    const membership: Membership = { id: randomUUID(), roles: this.checkedRoles(project, input.roles) };
    project.groupMemberships.set(input.group, membership);
    return membership;
  }

  /** The rules of every role the identity holds in the project now (temporary ones inside their window). */
  rulesFor(project: Project, identityId: string): PermissionRule[] {
    const membership = project.identityMemberships.get(identityId);
    if (!membership) return [];
    const now = this.now();
    return membership.roles
      .filter((binding) => !binding.window || (binding.window.start <= now && now < binding.window.end))
      .flatMap((binding) => builtinRoles[binding.slug] ?? project.roles.get(binding.slug)?.rules ?? []);
  }

  // --- lookups that refuse with a message

  project(id: string): Project {
    const project = this.projects.get(id);
    if (!project) throw new StoreError(`project "${id}" does not exist; reference an infisical_project's id`);
    return project;
  }

  environment(projectId: string, slug: string): Environment {
    const project = this.project(projectId);
    const environment = project.environments.get(slug);
    if (!environment) {
      throw new StoreError(`environment "${slug}" does not exist in project ${project.slug} (it has ${[...project.environments.keys()].join(", ") || "none"}); declare an infisical_project_environment`);
    }
    return environment;
  }

  folder(environment: Environment, path: string): Folder {
    const folder = environment.folders.get(normalizeFolderPath(path));
    if (!folder) throw new StoreError(`folder ${normalizeFolderPath(path)} does not exist in ${environment.slug}; declare an infisical_secret_folder for it`);
    return folder;
  }

  private requireIdentity(id: string): Identity {
    const identity = this.identities.get(id);
    if (!identity) throw new StoreError(`identity "${id}" does not exist; reference an infisical_identity's id`);
    return identity;
  }

  private checkedRoles(project: Project, roles: readonly (RoleBinding & { customRoleId?: string })[]): RoleBinding[] {
    if (roles.length === 0) throw new StoreError("roles is empty; give at least one role_slug");
    return roles.map(({ slug, window, customRoleId }) => {
      const custom = project.roles.get(slug);
      if (!builtinRoles[slug] && !custom) {
        throw new StoreError(`role "${slug}" is neither built in (admin, member, viewer, no-access) nor a role of project ${project.slug}; declare an infisical_project_role with that slug`);
      }
      if (customRoleId !== undefined && custom?.id !== customRoleId) {
        throw new StoreError(`custom_role_id "${customRoleId}" is not the id of role "${slug}"; reference infisical_project_role.NAME.id or leave it out`);
      }
      return { slug, window };
    });
  }
}

function checkLimits(limits: TokenLimits): void {
  for (const [name, value] of [["access_token_ttl", limits.ttl], ["access_token_max_ttl", limits.maxTtl], ["access_token_num_uses_limit", limits.numUsesLimit]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 315_360_000) throw new StoreError(`${name} must be a whole number of 0 to 315360000, got ${value}`);
  }
  if (limits.maxTtl > 0 && limits.ttl > limits.maxTtl) {
    throw new StoreError(`access_token_ttl (${limits.ttl}) is longer than access_token_max_ttl (${limits.maxTtl}); make the TTL at most the max TTL`);
  }
}
