// The Vault half of the access graph from Terraform resource instances (already evaluated: for_each
// expanded, variables and references resolved): auth roles of every login method → their token
// policies → the rules of `vault_policy` resources; KV secrets for "what can it reach".
import type { AccessGraph, AccessRole, Principal } from "../graph.ts";
import { list, referencedAddress, seconds, text, type ResourceInstance } from "../resources.ts";

export type { ResourceInstance } from "../resources.ts";
import type { NamedPolicy } from "./acl.ts";
import { builtInDefault } from "./default-policy.ts";
import { parseVaultPolicy, PolicyTextError, type VaultCapability, type VaultPathRule } from "./policy-text.ts";


export function vaultGraphFromTerraform(instances: readonly ResourceInstance[]): AccessGraph {
  const problems: string[] = [];
  const policies = new Map<string, NamedPolicy>([["default", builtInDefault]]);
  const roles: AccessRole[] = [];
  const secretPaths: string[] = [];
  const githubOrganizations = new Map<string, string>();
  for (const instance of instances) {
    if (instance.type === "vault_github_auth_backend") githubOrganizations.set(text(instance.attributes.path) ?? "github", text(instance.attributes.organization) ?? "");
  }
  for (const instance of instances) {
    const a = instance.attributes;
    switch (instance.type) {
      case "vault_policy": {
        const name = text(a.name);
        const document = instances.find((other) => other.mode === "data" && other.address === referencedAddress(a.policy));
        const rules = document ? documentRules(document) : text(a.policy) === undefined ? undefined : readPolicy(instance.address, text(a.policy)!, problems);
        if (!name || !rules) {
          problems.push(`${instance.address}: name or policy is unknown, its rules are left out`);
          break;
        }
        policies.set(name, { name, rules });
        break;
      }
      case "vault_identity_group":
        roles.push(...identityGroupRole(instance, instances));
        break;
      case "vault_jwt_auth_backend_role":
        roles.push(role(instance, "jwt", "role_name", jwtPrincipal(a)));
        break;
      case "vault_approle_auth_backend_role":
        roles.push(role(instance, "approle", "role_name", { kind: "approle", role: text(a.role_name) ?? "?" }));
        break;
      case "vault_kubernetes_auth_backend_role":
        roles.push(role(instance, "kubernetes", "role_name", kubernetesPrincipal(a, instances)));
        break;
      case "vault_ldap_auth_backend_user":
        roles.push(role(instance, "ldap", "username", { kind: "user", method: "ldap", names: [text(a.username) ?? "?"] }, "users"));
        break;
      case "vault_ldap_auth_backend_group":
        roles.push(role(instance, "ldap", "groupname", { kind: "sso-group", groups: [`ldap:${text(a.groupname) ?? "?"}`] }, "groups"));
        break;
      case "vault_github_team":
      case "vault_github_user": {
        const mount = text(a.backend) ?? "github";
        const team = instance.type === "vault_github_team" ? text(a.team) : `@${text(a.user) ?? "?"}`;
        const principal: Principal = { kind: "github-team", organization: githubOrganizations.get(mount), teams: [team ?? "?"] };
        roles.push(role(instance, "github", instance.type === "vault_github_team" ? "team" : "user", principal, instance.type === "vault_github_team" ? "map/teams" : "map/users"));
        break;
      }
      case "vault_generic_endpoint": {
        const userpass = userpassRole(instance);
        if (userpass) roles.push(userpass);
        break;
      }
      case "vault_kv_secret_v2":
        if (text(a.mount) && text(a.name)) secretPaths.push(`${text(a.mount)}/data/${text(a.name)}`);
        break;
      case "vault_kv_secret":
      case "vault_generic_secret":
        if (text(a.path)) secretPaths.push(text(a.path)!);
        break;
    }
  }
  return { roles, policies, secretPaths: [...new Set(secretPaths)].sort(), problems };
}

/** `data "vault_policy_document"`: its `rule` blocks are the policy (the provider renders them to HCL). */
function documentRules(document: ResourceInstance): VaultPathRule[] {
  const rules = Array.isArray(document.attributes.rule) ? document.attributes.rule : [];
  return rules.flatMap((rule: Record<string, unknown>) => (text(rule.path) ? [{ pattern: text(rule.path)!, capabilities: list(rule.capabilities) as VaultCapability[] }] : []));
}

/** An identity group with aliases: people of those SSO groups get its policies. */
function identityGroupRole(group: ResourceInstance, instances: readonly ResourceInstance[]): AccessRole[] {
  const name = text(group.attributes.name) ?? group.address;
  const aliases = instances.filter((other) => other.type === "vault_identity_group_alias" && referencedAddress(other.attributes.canonical_id) === group.address).map((alias) => text(alias.attributes.name) ?? "?");
  const attached = instances.filter((other) => other.type === "vault_identity_group_policies" && referencedAddress(other.attributes.group_id) === group.address).flatMap((other) => list(other.attributes.policies));
  if (aliases.length === 0) return [];
  return [{ id: `identity/group/name/${name}`, principal: { kind: "sso-group", groups: aliases }, policies: [...new Set([...list(group.attributes.policies), ...attached])], source: group.address }];
}

function role(instance: ResourceInstance, defaultMount: string, nameAttribute: string, principal: Principal, collection = "role"): AccessRole {
  const a = instance.attributes;
  const policies = [...list(a.token_policies), ...list(a.policies)];
  if (a.token_no_default_policy !== true) policies.push("default");
  return {
    id: `auth/${text(a.backend) ?? defaultMount}/${collection}/${text(a[nameAttribute]) ?? "?"}`,
    principal,
    policies: [...new Set(policies)],
    ttlSeconds: seconds(a.token_ttl),
    maxTtlSeconds: seconds(a.token_max_ttl) ?? seconds(a.token_explicit_max_ttl),
    source: instance.address,
  };
}

/** The role's bound service accounts, and the cluster its mount checks tokens against (the config's API host). */
function kubernetesPrincipal(a: Readonly<Record<string, unknown>>, instances: readonly ResourceInstance[]): Principal {
  const mount = text(a.backend) ?? "kubernetes";
  const config = instances.find((other) => other.type === "vault_kubernetes_auth_backend_config" && (text(other.attributes.backend) ?? "kubernetes") === mount);
  const host = config ? text(config.attributes.kubernetes_host) : undefined;
  return { kind: "kubernetes", namespaces: list(a.bound_service_account_namespaces), serviceAccounts: list(a.bound_service_account_names), ...(host ? { cluster: host } : {}) };
}

function jwtPrincipal(a: Readonly<Record<string, unknown>>): Principal {
  // The provider splits comma-separated bound_claims values into lists unless told not to.
  const split = a.disable_bound_claims_parsing !== true;
  const claims: Record<string, string[]> = {};
  const bound = a.bound_claims;
  if (bound && typeof bound === "object") {
    for (const [name, value] of Object.entries(bound)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      claims[name] = split ? values.flatMap((item) => item.split(",").map((part) => part.trim())) : values;
    }
  }
  return {
    kind: a.role_type === "jwt" ? "jwt" : "oidc-login",
    binding: { audiences: list(a.bound_audiences), subject: text(a.bound_subject) || undefined, claims, claimsType: a.bound_claims_type === "glob" ? "glob" : "string" },
  };
}

/** `vault_generic_endpoint` writing `auth/<userpass mount>/users/<name>`: a userpass user. */
function userpassRole(instance: ResourceInstance): AccessRole | undefined {
  const path = text(instance.attributes.path) ?? "";
  const found = path.match(/^auth\/([^/]+)\/users\/([^/]+)$/);
  if (!found) return undefined;
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(text(instance.attributes.data_json) ?? "{}") as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const attributes = { ...data, backend: found[1], username: found[2] };
  return role({ ...instance, attributes }, "userpass", "username", { kind: "user", method: "userpass", names: [found[2]!] }, "users");
}

function readPolicy(address: string, policyText: string, problems: string[]): VaultPathRule[] {
  try {
    return parseVaultPolicy(policyText);
  } catch (error) {
    if (!(error instanceof PolicyTextError)) throw error;
    problems.push(`${address}: the policy text is not Vault policy HCL (${error.message}); its rules are left out`);
    return [];
  }
}
