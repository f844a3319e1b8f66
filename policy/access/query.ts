// The two questions a reviewer asks of an access graph: who can do X on this path, and what can a
// job with these claims reach.
import type { AccessCapability, AccessGraph, AccessRole } from "./graph.ts";
import { vaultCapabilitiesFor } from "./graph.ts";
import { VaultAcl, type NamedPolicy } from "./vault/acl.ts";
import { vaultJwtAllows, type Claims } from "./vault/jwt-role.ts";
import type { VaultCapability } from "./vault/policy-text.ts";
import { PathIndex } from "./path-index.ts";
import { infisicalOidcAllows } from "./infisical/oidc-identity.ts";
import { infisicalAccess, infisicalRuleText } from "./infisical/access.ts";
import { compareText } from "../text-order.ts";

export interface PathAccess {
  readonly role: AccessRole;
  readonly path: string;
  readonly capabilities: readonly AccessCapability[];
  /** The policy pattern that decided, and the policies that hold it. */
  readonly pattern: string;
  readonly policies: readonly string[];
}

const accessCapabilities: readonly AccessCapability[] = ["read", "list", "write", "delete"];

/** One ACL per distinct policy set, so a graph of many roles sharing policies is cheap to ask. */
export class AccessQuery {
  private readonly acls = new Map<string, VaultAcl>();
  private readonly reached = new Map<AccessRole, PathAccess[]>();
  private readonly roleAcls = new Map<AccessRole, VaultAcl>();
  private readonly paths: PathIndex;
  constructor(readonly graph: AccessGraph) {
    this.paths = new PathIndex(graph.secretPaths);
  }

  /** Every role that holds at least one of `wanted` on `path`, with what it holds. */
  whoCan(path: string, wanted: readonly AccessCapability[] = accessCapabilities): PathAccess[] {
    const found: PathAccess[] = [];
    for (const role of this.graph.roles) {
      const access = this.accessOn(role, path);
      if (access && access.capabilities.some((capability) => wanted.includes(capability))) found.push(access);
    }
    return found;
  }

  /** The roles a token with these claims can log in to. Without `aud` the audience is not checked: a job asks GitHub for any audience. */
  rolesFor(claims: Claims): AccessRole[] {
    return this.graph.roles.filter((role) => {
      const principal = role.principal;
      if (principal.kind === "jwt") return vaultJwtAllows(claims.aud === undefined ? { ...principal.binding, audiences: [] } : principal.binding, claims).allowed;
      if (principal.kind === "infisical-oidc") return infisicalOidcAllows(claims.aud === undefined ? { ...principal.binding, audiences: [] } : principal.binding, claims).allowed;
      return false;
    });
  }

  /** What a role may do on every declared secret path (paths it may do nothing on are left out). */
  reach(role: AccessRole): PathAccess[] {
    let found = this.reached.get(role);
    if (!found) this.reached.set(role, (found = this.computeReach(role)));
    return found;
  }

  private computeReach(role: AccessRole): PathAccess[] {
    const candidates = role.infisical
      ? new Set(role.infisical.flatMap((grant) => this.paths.candidates(`${grant.project}/`)))
      : role.policies.includes("root")
        ? this.paths.all
        : new Set(this.rules(role).flatMap((rule) => this.paths.candidates(rule.pattern)));
    const found: PathAccess[] = [];
    for (const path of candidates) {
      const access = this.accessOn(role, path);
      if (access && access.capabilities.length > 0) found.push(access);
    }
    return found.sort((a, b) => compareText(a.path, b.path));
  }

  /** The rules of the role's policies (Vault's `default` left out: it touches only the token's own paths). */
  rules(role: AccessRole): { pattern: string; capabilities: readonly string[]; policy: string }[] {
    if (role.infisical) return role.infisical.flatMap((grant) => grant.rules.map((rule) => ({ pattern: infisicalRuleText(grant.project, rule), capabilities: rule.inverted ? rule.actions.map((action) => `not ${action}`) : rule.actions, policy: grant.roles.join("+") })));
    return role.policies.filter((name) => name !== "default").flatMap((name) => (this.graph.policies.get(name)?.rules ?? []).map((rule) => ({ pattern: rule.pattern, capabilities: rule.capabilities, policy: name })));
  }

  accessOn(role: AccessRole, path: string): PathAccess | undefined {
    if (role.infisical) return infisicalAccess(role, path);
    const decision = this.acl(role).decide(path);
    if (!decision.pattern) return undefined;
    const capabilities = accessCapabilities.filter((capability) => vaultCapabilitiesFor[capability].some((vault) => decision.capabilities.has(vault as VaultCapability)));
    return { role, path, capabilities, pattern: decision.pattern, policies: decision.policies };
  }

  private acl(role: AccessRole): VaultAcl {
    const known = this.roleAcls.get(role);
    if (known) return known;
    const key = role.policies.join("\u0000");
    let acl = this.acls.get(key);
    if (!acl) {
      const policies = role.policies.flatMap((name): NamedPolicy[] => {
        const policy = this.graph.policies.get(name);
        return policy ? [policy] : name === "root" ? [{ name: "root", rules: [] }] : [];
      });
      this.acls.set(key, (acl = new VaultAcl(policies)));
    }
    this.roleAcls.set(role, acl);
    return acl;
  }
}
