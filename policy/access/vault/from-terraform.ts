// The Vault half of the access graph from Terraform resource instances (already evaluated: for_each
// expanded, variables and references resolved): auth roles of every login method → their token
// policies → the rules of `vault_policy` resources; KV secrets for "what can it reach".
import type { AccessGraph, AccessRole, Principal } from "../graph.ts";
import type { NamedPolicy } from "./acl.ts";
import { builtInDefault } from "./default-policy.ts";
import { parseVaultPolicy, PolicyTextError, type VaultPathRule } from "./policy-text.ts";

export interface ResourceInstance {
  readonly mode: "managed" | "data";
  readonly type: string;
  /** `vault_policy.ci["prod"]`, `module.ci.vault_policy.read`. */
  readonly address: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

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
        const policyText = text(a.policy);
        if (!name || policyText === undefined) {
          problems.push(`${instance.address}: name or policy is unknown, its rules are left out`);
          break;
        }
        policies.set(name, { name, rules: readPolicy(instance.address, policyText, problems) });
        break;
      }
      case "vault_jwt_auth_backend_role":
        roles.push(role(instance, "jwt", "role_name", jwtPrincipal(a)));
        break;
      case "vault_approle_auth_backend_role":
        roles.push(role(instance, "approle", "role_name", { kind: "approle", role: text(a.role_name) ?? "?" }));
        break;
      case "vault_kubernetes_auth_backend_role":
        roles.push(role(instance, "kubernetes", "role_name", { kind: "kubernetes", namespaces: list(a.bound_service_account_namespaces), serviceAccounts: list(a.bound_service_account_names) }));
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

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined);

/** A list attribute, or Vault's comma-separated string form of one. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === "string" || typeof item === "number" ? [String(item)] : []));
  if (typeof value === "string") return value === "" ? [] : value.split(",").map((item) => item.trim());
  return [];
}

const units: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
function seconds(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const found = value.match(/^(\d+)([smhd]?)$/);
  return found ? Number(found[1]) * units[found[2] || "s"]! || undefined : undefined;
}
