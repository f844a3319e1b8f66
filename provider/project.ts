// A project: its environments, its secrets (one of each per environment) and who may use them.
import { KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { Construct } from "./cdk.ts";
import type { Capability, Project as ProjectDocument, Secret as SecretDocument } from "../policy/document.ts";
import type { BoundTarget } from "./targets/target.ts";
import type { Rotation } from "./rotation.ts";
import type { Duration } from "./duration.ts";
import type { IPrincipal } from "./principals.ts";
import { SecretGrant, type GrantOptions } from "./grant.ts";
import type { ProjectFacts } from "./validation.ts";
import { checkSyncOptions, syncedSecrets, syncProblems, type KubernetesSyncOptions } from "./kubernetes/sync-options.ts";

export interface EnvironmentOptions {
  /** Protected environments (prod) only take grants bound to a ref or a GitHub environment. @default false */
  readonly protected?: boolean;
}

/** An environment by name, or with its options: `"dev"`, `{ name: "prod", protected: true }`. */
export type EnvironmentSpec = string | ({ readonly name: string } & EnvironmentOptions);

export interface ProjectOptions {
  /** @default none: add them with addEnvironment() */
  readonly environments?: readonly EnvironmentSpec[];
}

export interface SecretOptions {
  /** The keys the secret holds (documented in its metadata; values never go through Terraform). @default none listed */
  readonly keys?: readonly string[];
  /** How often it must be rotated. @default no rotation rule */
  readonly rotation?: Rotation;
}

export interface DatabaseSecretOptions {
  /** The connection (db_name) of the database secrets mount the user lives in. */
  readonly connection: string;
  /** The database user of each environment, e.g. (environment) => `ml_${environment}`. */
  readonly username: (environment: string) => string;
  /** Rotation.byBackend(period): the backend sets a new password every period. */
  readonly rotation: Rotation;
  /**
   * The database secrets mount: pass the mount resource's path (a reference), so that Terraform
   * creates the mount before the roles. @default "database"
   */
  readonly mount?: string;
}

interface DeclaredSecret {
  readonly document: SecretDocument;
  readonly scope: Construct;
  readonly database?: Omit<DatabaseSecretOptions, "rotation">;
}

export interface CustomGrantOptions extends GrantOptions {
  readonly capabilities: readonly Capability[];
}

export interface ProjectContext {
  readonly target: BoundTarget;
  readonly issuer: string;
  readonly defaultTokenTtl: Duration;
}

const namePattern = /^[a-z0-9][a-z0-9._-]*$/;
const secretPattern = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export class SecretsProject extends Construct {
  private readonly environments = new Map<string, { readonly protected: boolean }>();
  private readonly secrets = new Map<string, DeclaredSecret>();
  private readonly grants: SecretGrant[] = [];
  /** facts(), until an environment or a secret is added. */
  private checkedFacts: ProjectFacts | undefined;
  /** facts() for the grants' checks: one function for all of them. */
  private readonly factsForGrants = () => this.facts();

  constructor(
    scope: Construct,
    readonly projectName: string,
    private readonly context: ProjectContext,
    options: ProjectOptions = {},
  ) {
    if (!namePattern.test(projectName)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `addProject("${projectName}"): a project name is lower-case letters, digits, '.', '_' or '-'`);
    }
    super(scope, projectName);
    context.target.addProject(this, projectName);
    for (const spec of options.environments ?? []) {
      if (typeof spec === "string") this.addEnvironment(spec);
      else this.addEnvironment(spec.name, spec);
    }
  }

  addEnvironment(name: string, options: EnvironmentOptions = {}): void {
    if (!namePattern.test(name)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: environment "${name}" is not a valid name (lower-case letters, digits, '.', '_' or '-')`);
    if (this.environments.has(name)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: environment "${name}" is declared twice`);
    const environment = { name, protected: options.protected ?? false };
    this.environments.set(name, environment);
    this.checkedFacts = undefined;
    this.context.target.addEnvironment(this, this.projectName, environment);
    for (const secret of this.secrets.values()) this.declareIn(name, secret);
  }

  /** A secret of the project, present in every environment (e.g. "database", "api/stripe"). */
  addSecret(name: string, options: SecretOptions = {}): void {
    this.checkNewSecret(name);
    if (options.rotation?.strategy === "generated" && (options.keys ?? []).length === 0) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: secret "${name}" is generated (Rotation.generate) but lists no keys; give keys: [...] (each gets a new value)`);
    }
    const document: SecretDocument = { name, keys: [...(options.keys ?? [])], ...(options.rotation ? { rotation: options.rotation.toDocument() } : {}) };
    this.declare(name, { document, scope: new Construct(this, `secret-${name.replace(/\//g, "--")}`) });
  }

  /**
   * A database user whose password the backend rotates itself (Vault: a static role of the
   * database secrets mount, with rotation_period). Keys: username and password.
   */
  addDatabaseSecret(name: string, options: DatabaseSecretOptions): void {
    this.checkNewSecret(name);
    if (options.rotation.strategy !== "backend") {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: database secret "${name}" is rotated by the backend: give rotation: Rotation.byBackend(period)`);
    }
    if (!this.context.target.addDatabaseSecret) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: database secret "${name}": this backend target has no backend-rotated database users; declare it on VaultBackend`);
    }
    const document: SecretDocument = { name, keys: ["password", "username"], rotation: options.rotation.toDocument() };
    const { rotation: _rotation, ...database } = options;
    this.declare(name, { document, scope: new Construct(this, `secret-${name.replace(/\//g, "--")}`), database });
  }

  private checkNewSecret(name: string): void {
    if (!secretPattern.test(name)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: secret "${name}" is not a valid path (names of letters, digits, '.', '_', '-' separated by '/')`);
    if (this.secrets.has(name)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: secret "${name}" is declared twice`);
  }

  private declare(name: string, secret: DeclaredSecret): void {
    this.secrets.set(name, secret);
    this.checkedFacts = undefined;
    for (const environment of this.environments.keys()) this.declareIn(environment, secret);
  }

  /** What the target keeps of a secret in one environment: metadata, or the backend's rotating user. */
  private declareIn(environment: string, { document, scope, database }: DeclaredSecret): void {
    const { target } = this.context;
    if (!database) return target.addSecret(scope, this.projectName, environment, document);
    const user = { mount: database.mount ?? "database", connection: database.connection, username: database.username(environment) };
    target.addDatabaseSecret!(scope, this.projectName, environment, document, user);
  }

  /** Read (and list) the secrets. */
  grantRead(principal: IPrincipal, options: GrantOptions): SecretGrant {
    return this.addGrant(principal, ["read", "list"], "read", options);
  }

  /** Read, list, write and delete the secrets. */
  grantReadWrite(principal: IPrincipal, options: GrantOptions): SecretGrant {
    return this.addGrant(principal, ["read", "list", "write", "delete"], "readwrite", options);
  }

  /** Exactly the capabilities given. */
  grant(principal: IPrincipal, options: CustomGrantOptions): SecretGrant {
    return this.addGrant(principal, options.capabilities, "custom", options);
  }

  /**
   * Syncs secrets of one environment into Kubernetes Secrets of a cluster's namespace: a read grant
   * for the service account (the backend's Kubernetes auth role or identity, and its policy) plus
   * the operator's manifests, written by synth (Vault) or by Terraform at apply (Infisical).
   */
  syncToKubernetes(options: KubernetesSyncOptions): SecretGrant {
    checkSyncOptions(this.node.path, options);
    const { cluster, environment, secretName } = options;
    const principal = cluster.serviceAccount(options.namespace, options.serviceAccount);
    const paths = [...(options.paths ?? ["*"])];
    const grant = this.addGrant(principal, ["read"], "sync", { environment, paths, tokenTtl: options.tokenTtl, id: options.id });
    const secrets = () => syncedSecrets(paths, [...this.secrets.keys()], secretName);
    grant.node.addValidation({
      validate: () => syncProblems({ project: this.projectName, cluster, environment: this.facts().environments.find((entry) => entry.name === environment), synced: secrets(), secretName }),
    });
    this.context.target.addKubernetesSync(grant, {
      project: this.projectName,
      grantId: grant.toDocument().id,
      environment,
      principal: { kind: "kubernetes", cluster: cluster.clusterName, namespace: options.namespace, serviceAccount: options.serviceAccount },
      cluster,
      secrets,
      refreshAfterSeconds: options.refreshAfter?.toSeconds(),
      rolloutRestart: [...(options.rolloutRestart ?? [])],
    });
    return grant;
  }

  toDocument(): ProjectDocument {
    return {
      name: this.projectName,
      environments: [...this.environments].map(([name, environment]) => ({ name, protected: environment.protected })),
      secrets: [...this.secrets.values()].map(({ document }) => document),
      grants: this.grants.map((grant) => grant.toDocument()),
    };
  }

  /** What the grants' checks need of the project: built once for all of them, again after a change. */
  private facts(): ProjectFacts {
    this.checkedFacts ??= {
      name: this.projectName,
      environments: [...this.environments].map(([name, environment]) => ({ name, protected: environment.protected })),
      secrets: [...this.secrets.keys()],
    };
    return this.checkedFacts;
  }

  private addGrant(principal: IPrincipal, capabilities: readonly Capability[], kind: string, options: GrantOptions): SecretGrant {
    const id = options.id ?? `${principal.idHint}-${options.environment === "*" ? "all" : options.environment}-${kind}`;
    if (!namePattern.test(id)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: grant id "${id}" is not valid; give an id of lower-case letters, digits, '.', '_' or '-'`);
    if (this.node.tryFindChild(id)) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${this.node.path}: a grant with id "${id}" exists already; give this one another id (option id)`);
    // Object.assign, not a spread followed by more keys: V8 builds that one slowly (~4 µs a grant).
    const grant = new SecretGrant(this, id, Object.assign({}, options, {
      principal,
      capabilities,
      issuer: this.context.issuer,
      defaultTokenTtl: this.context.defaultTokenTtl,
      project: this.factsForGrants,
    }));
    this.grants.push(grant);
    this.context.target.addGrant(grant, this.projectName, grant.toDocument());
    return grant;
  }
}
