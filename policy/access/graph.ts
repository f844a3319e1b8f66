// The access graph: who can log in (principals) → as which role → with which policies → what they
// may do on which paths. Built from Terraform (hand-written or synthesized) or from a policy
// document, answered in both directions by query.ts.
import type { VaultJwtBinding } from "./vault/jwt-role.ts";
import type { NamedPolicy } from "./vault/acl.ts";
import type { InfisicalOidcBinding } from "./infisical/oidc-identity.ts";
import type { InfisicalRule } from "./infisical/permissions.ts";

/** Who can become a role: the login it accepts. */
export type Principal =
  | { readonly kind: "jwt"; readonly binding: VaultJwtBinding }
  /** A role of the browser OIDC flow (`role_type = "oidc"`, the provider's default): people, never a CI token. */
  | { readonly kind: "oidc-login"; readonly binding: VaultJwtBinding }
  | { readonly kind: "approle"; readonly role: string }
  /** A Kubernetes auth role; `cluster` is the declared cluster's name, or its API host when read from Terraform. */
  | { readonly kind: "kubernetes"; readonly namespaces: readonly string[]; readonly serviceAccounts: readonly string[]; readonly cluster?: string }
  | { readonly kind: "user"; readonly method: "userpass" | "ldap"; readonly names: readonly string[] }
  | { readonly kind: "github-team"; readonly organization?: string; readonly teams: readonly string[] }
  | { readonly kind: "sso-group"; readonly groups: readonly string[] }
  /** An Infisical machine identity: by OIDC (a CI job), Kubernetes service account, or client secret. */
  | { readonly kind: "infisical-oidc"; readonly identity: string; readonly binding: InfisicalOidcBinding }
  | { readonly kind: "infisical-kubernetes"; readonly identity: string; readonly namespaces: readonly string[]; readonly serviceAccounts: readonly string[] }
  | { readonly kind: "infisical-universal"; readonly identity: string };

/** What an Infisical identity may do in one project: the rules of its project roles. */
export interface InfisicalGrant {
  readonly project: string;
  readonly roles: readonly string[];
  readonly rules: readonly InfisicalRule[];
}

export interface AccessRole {
  /** "auth/jwt/role/ci-prod": unique in the graph. */
  readonly id: string;
  readonly principal: Principal;
  /** The Vault policies a login gets (identity-group policies included); none for Infisical. */
  readonly policies: readonly string[];
  /** Infisical: the projects the identity is a member of, with its roles' rules. */
  readonly infisical?: readonly InfisicalGrant[];
  readonly ttlSeconds?: number;
  readonly maxTtlSeconds?: number;
  /** Where it was declared: a Terraform address or a document grant. */
  readonly source: string;
}

export interface AccessGraph {
  readonly roles: readonly AccessRole[];
  readonly policies: ReadonlyMap<string, NamedPolicy>;
  /**
   * The secrets the configuration declares, for "what can it reach": Vault API paths
   * (`mount/data/...`), Infisical `<project slug>/<environment>/<folder path>/<KEY>`.
   */
  readonly secretPaths: readonly string[];
  /** Path globs the source itself marks as protected (a document's protected environments). */
  readonly protectedPaths?: readonly string[];
  /** What could not be read into the graph, one line each (the graph is then a lower bound). */
  readonly problems: readonly string[];
}

/** Our four capabilities, as the Vault capabilities that give them. */
export type AccessCapability = "read" | "list" | "write" | "delete";
export const vaultCapabilitiesFor: Readonly<Record<AccessCapability, readonly string[]>> = {
  read: ["read"],
  list: ["list"],
  write: ["create", "update", "patch"],
  delete: ["delete"],
};
