// The access graph of a policy document (what our constructs synthesize): each grant becomes the
// role and policy synth writes for it, so a document and its Terraform answer alike.
import type { PolicyDocument } from "../document.ts";
import type { Grant } from "../document.ts";
import { kubernetesAuthPath } from "../kubernetes/auth-mount.ts";
import type { AccessGraph, AccessRole } from "./graph.ts";
import type { NamedPolicy } from "./vault/acl.ts";
import { builtInDefault } from "./vault/default-policy.ts";
import { kvV2PolicyRules } from "./vault/kv-v2-rules.ts";
import type { VaultCapability } from "./vault/policy-text.ts";

/** Infisical documents have no mount; their paths read `<project>/<environment>/<secret>` under this one. */
const infisicalRoot = "infisical";

export function graphFromDocument(document: PolicyDocument): AccessGraph {
  const mount = document.backend.type === "vault" ? document.backend.mount : infisicalRoot;
  const authPath = document.backend.type === "vault" ? document.backend.authPath : "oidc";
  const roles: AccessRole[] = [];
  const policies = new Map<string, NamedPolicy>([["default", builtInDefault]]);
  const secretPaths: string[] = [];
  const protectedPaths: string[] = [];
  for (const project of document.projects) {
    for (const environment of project.environments.filter((entry) => entry.protected)) protectedPaths.push(`${mount}/data/${project.name}/${environment.name}/*`);
    for (const environment of project.environments) {
      for (const secret of project.secrets) secretPaths.push(`${mount}/data/${project.name}/${environment.name}/${secret.name}`);
    }
    for (const grant of project.grants) {
      // Named as synth names them (provider/targets/vault.ts), so both sources name the same role.
      const name = `${project.name}-${grant.id}`;
      const policyName = `keybridge-${name}`;
      const rules = kvV2PolicyRules(mount, project.name, grant).map((rule) => ({ pattern: rule.path, capabilities: rule.capabilities as VaultCapability[] }));
      policies.set(policyName, { name: policyName, rules });
      roles.push({
        ...login(grant.principal, name, authPath),
        policies: grant.principal.kind === "sso-group" ? [policyName] : [policyName, "default"],
        ttlSeconds: grant.tokenTtlSeconds,
        maxTtlSeconds: grant.tokenMaxTtlSeconds,
        source: `${project.name} grant ${grant.id}`,
      });
    }
  }
  return { roles, policies, secretPaths: secretPaths.sort(), protectedPaths, problems: [] };
}

/** The role synth writes for a grant's principal, and the login it accepts. */
function login(principal: Grant["principal"], name: string, authPath: string): Pick<AccessRole, "id" | "principal"> {
  switch (principal.kind) {
    case "sso-group":
      return { id: `identity/group/name/keybridge-${name}`, principal: { kind: "sso-group", groups: [principal.group] } };
    case "kubernetes":
      return {
        id: `auth/${kubernetesAuthPath(principal.cluster)}/role/${name}`,
        principal: { kind: "kubernetes", cluster: principal.cluster, namespaces: [principal.namespace], serviceAccounts: [principal.serviceAccount] },
      };
    case "github-oidc":
      return {
        id: `auth/${authPath}/role/${name}`,
        principal: { kind: "jwt", binding: { audiences: [principal.audience], claims: principal.claims, claimsType: principal.match === "glob" ? "glob" : "string" } },
      };
  }
}
