// What the Infisical side keeps in memory: projects with their environments, folders (by path),
// secrets and imports; machine identities with their OIDC and universal auth; project roles and
// the memberships that give identities (and, stored only, SSO groups) those roles. Identities log
// in with OIDC, universal, Kubernetes or AWS IAM auth.
import type { PermissionRule } from "./permissions.ts";

export interface SecretRecord {
  readonly id: string;
  readonly key: string;
  readonly value: string;
  readonly version: number;
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
  readonly reminder: { readonly repeatDays: number; readonly note: string | null } | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SecretImport {
  readonly id: string;
  readonly environment: string;
  readonly path: string;
  readonly isReplication: boolean;
}

export interface Folder {
  readonly id: string;
  /** "/" for the environment's root, else "/a/b". */
  readonly path: string;
  readonly name: string;
  readonly description: string;
  readonly secrets: Map<string, SecretRecord>;
  /** Each key's earlier versions, oldest first (its current one is in `secrets`). */
  readonly history: Map<string, SecretRecord[]>;
  /** In the order they were added: the last one wins a key clash. */
  readonly imports: SecretImport[];
}

export interface Environment {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly position: number;
  readonly folders: Map<string, Folder>;
}

export interface RoleBinding {
  readonly slug: string;
  /** Temporary access: [start, end) in milliseconds since the epoch. */
  readonly window: { readonly start: number; readonly end: number } | undefined;
}

export interface ProjectRole {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly rules: readonly PermissionRule[];
}

export interface Membership {
  readonly id: string;
  readonly roles: readonly RoleBinding[];
}

export interface Project {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly environments: Map<string, Environment>;
  readonly roles: Map<string, ProjectRole>;
  /** By identity id. */
  readonly identityMemberships: Map<string, Membership>;
  /** By group id, name or slug as written: stored, never used to log in. */
  readonly groupMemberships: Map<string, Membership>;
}

export interface Identity {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  readonly orgRole: string;
  readonly authModes: Set<string>;
}

export interface TokenLimits {
  readonly ttl: number;
  readonly maxTtl: number;
  readonly numUsesLimit: number;
  /** CIDRs the access token may be used from. */
  readonly trustedIps: readonly string[];
}

export interface OidcAuthConfig extends TokenLimits {
  readonly id: string;
  readonly identityId: string;
  readonly discoveryUrl: string;
  readonly boundIssuer: string;
  readonly boundSubject: string;
  readonly boundAudiences: readonly string[];
  readonly boundClaims: Readonly<Record<string, readonly string[]>>;
}

export interface KubernetesAuthConfig extends TokenLimits {
  readonly id: string;
  readonly identityId: string;
  /** The API server TokenReviews go to (api mode); keybridge dev plays that cluster. */
  readonly kubernetesHost: string;
  /** Exact values or picomatch globs; empty allows any. */
  readonly allowedNamespaces: readonly string[];
  readonly allowedNames: readonly string[];
  /** "" when unset. */
  readonly allowedAudience: string;
}

export interface AwsAuthConfig extends TokenLimits {
  readonly id: string;
  readonly identityId: string;
  /** Where Infisical sends a request whose Host is not a regional STS endpoint. */
  readonly stsEndpoint: string;
  /** Exact ARNs or with `*` wildcards; empty allows any. */
  readonly allowedPrincipalArns: readonly string[];
  /** Twelve-digit account ids; empty allows any. */
  readonly allowedAccountIds: readonly string[];
}

export interface ClientSecret {
  readonly id: string;
  readonly digest: Buffer;
  readonly createdAt: number;
  /** Seconds; 0 never expires. */
  readonly ttl: number;
  readonly usesLimit: number;
  uses: number;
}

export interface UniversalAuthConfig extends TokenLimits {
  readonly id: string;
  readonly identityId: string;
  readonly clientId: string;
  readonly clientSecretTrustedIps: readonly string[];
  readonly clientSecrets: ClientSecret[];
}
