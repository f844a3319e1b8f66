// The Infisical half of the access graph from Terraform resource instances: machine identities
// and their logins (OIDC, Kubernetes, universal auth) → project memberships and their roles →
// permission rules; `infisical_secret` resources as the declared secrets. Resources point at each
// other by ids only an apply knows, so they are joined by the address a reference names.
import type { AccessRole, InfisicalGrant, Principal } from "../graph.ts";
import { referencedAddress, seconds, text, type ResourceInstance } from "../resources.ts";
import { splitList } from "./oidc-identity.ts";
import { builtInRoles, PermissionsError, ruleFrom, type InfisicalRule } from "./permissions.ts";

export interface InfisicalPart {
  readonly roles: AccessRole[];
  readonly secretPaths: string[];
  readonly problems: string[];
}

const byType = (instances: readonly ResourceInstance[], type: string) => instances.filter((instance) => instance.type === type);

export function infisicalGraphFromTerraform(instances: readonly ResourceInstance[]): InfisicalPart {
  const problems: string[] = [];
  const projects = new Map(byType(instances, "infisical_project").map((project) => [project.address, text(project.attributes.slug) ?? text(project.attributes.name) ?? project.address]));
  const projectOf = (value: unknown) => text(value) ?? projects.get(referencedAddress(value) ?? "");
  const customRoles = new Map<string, readonly InfisicalRule[]>();
  for (const role of byType(instances, "infisical_project_role")) {
    const project = text(role.attributes.project_slug) ?? projectOf(role.attributes.project_id);
    const entries = [...objects(role.attributes.permissions_v2), ...objects(role.attributes.permissions)];
    try {
      customRoles.set(`${project}\u0000${text(role.attributes.slug)}`, entries.flatMap((entry) => ruleFrom(entry) ?? []));
      customRoles.set(role.address, customRoles.get(`${project}\u0000${text(role.attributes.slug)}`)!);
    } catch (error) {
      if (!(error instanceof PermissionsError)) throw error;
      problems.push(`${role.address}: ${error.message}; its rules are left out`);
    }
  }
  const grants = new Map<string, InfisicalGrant[]>();
  for (const membership of byType(instances, "infisical_project_identity")) {
    const identity = referencedAddress(membership.attributes.identity_id) ?? text(membership.attributes.identity_id) ?? "?";
    const project = projectOf(membership.attributes.project_id) ?? "?";
    const slugs = objects(membership.attributes.roles).map((entry) => text(entry.role_slug) ?? referencedAddress(entry.custom_role_id) ?? "?");
    const rules = slugs.flatMap((slug) => builtInRoles[slug] ?? customRoles.get(`${project}\u0000${slug}`) ?? customRoles.get(slug) ?? unknownRole(membership.address, slug, problems));
    grants.set(identity, [...(grants.get(identity) ?? []), { project, roles: slugs, rules }]);
  }
  const roles: AccessRole[] = [];
  const login = (type: string, principalOf: (attributes: Readonly<Record<string, unknown>>, identity: string) => Principal) => {
    for (const auth of byType(instances, type)) {
      const identityAddress = referencedAddress(auth.attributes.identity_id) ?? text(auth.attributes.identity_id) ?? "?";
      const identity = instances.find((instance) => instance.address === identityAddress);
      const name = text(identity?.attributes.name) ?? identityAddress;
      roles.push({
        id: `infisical/identity/${name}/${type.replace("infisical_identity_", "")}`,
        principal: principalOf(auth.attributes, name),
        policies: [],
        infisical: grants.get(identityAddress) ?? [],
        ttlSeconds: seconds(auth.attributes.access_token_ttl) ?? 2_592_000,
        maxTtlSeconds: seconds(auth.attributes.access_token_max_ttl) ?? 2_592_000,
        source: auth.address,
      });
    }
  };
  login("infisical_identity_oidc_auth", (a, identity) => ({
    kind: "infisical-oidc",
    identity,
    binding: { subject: text(a.bound_subject) || undefined, audiences: splitList(a.bound_audiences), claims: Object.fromEntries(Object.entries(record(a.bound_claims)).map(([claim, value]) => [claim, splitList(value)])) },
  }));
  // The provider's attribute is allowed_service_account_names (sent to the API as allowedNames).
  login("infisical_identity_kubernetes_auth", (a, identity) => ({
    kind: "infisical-kubernetes",
    identity,
    namespaces: splitList(a.allowed_namespaces),
    serviceAccounts: splitList(a.allowed_service_account_names ?? a.allowed_names),
  }));
  login("infisical_identity_universal_auth", (_a, identity) => ({ kind: "infisical-universal", identity }));
  const secretPaths = byType(instances, "infisical_secret").flatMap((secret) => {
    const project = projectOf(secret.attributes.workspace_id) ?? projectOf(secret.attributes.project_id);
    const folder = (text(secret.attributes.folder_path) ?? "/").replace(/^\/+|\/+$/g, "");
    return project ? [[project, text(secret.attributes.env_slug), folder, text(secret.attributes.name)].filter((part) => part).join("/")] : [];
  });
  return { roles, secretPaths, problems };
}

function unknownRole(address: string, slug: string, problems: string[]): InfisicalRule[] {
  problems.push(`${address}: the project role "${slug}" is neither built in nor declared here; its access is left out`);
  return [];
}

const objects = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => item !== null && typeof item === "object") : []);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

