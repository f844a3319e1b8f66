// The Vault/OpenBao target: a KV v2 mount for the secrets, a JWT auth mount trusting GitHub, and
// per grant an ACL policy with exactly the granted paths plus a JWT role bound to the job's claims
// (or an external identity group for an SSO group). Rotation rules go into each secret's metadata,
// where the Action reads them.
import {
  Construct, DataVaultAuthBackend, GenericEndpoint, IdentityGroup, IdentityGroupAlias, JwtAuthBackend,
  JwtAuthBackendRole, Mount, Policy, TerraformOutput, TerraformStack, VaultProvider,
} from "../cdk.ts";
import type { Grant, Secret } from "../../policy/document.ts";
import type { BoundTarget, IBackendTarget, TargetContext } from "./target.ts";
import { kvV2PolicyRules, renderPolicyHcl } from "../../policy/access/vault/kv-v2-rules.ts";
import { rotationMetadata } from "../../policy/rotation-metadata.ts";

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
  private readonly jwt: JwtAuthBackend;
  private ssoBackend: DataVaultAuthBackend | undefined;
  private readonly jwtPath: string;
  /** Per project, the output that maps each GitHub grant to the Action's inputs. */
  private readonly ciRoles = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly context: TargetContext,
    private readonly options: VaultKvV2Options,
  ) {
    const { scope, issuerUrl } = context;
    const mount = options.mount ?? "secret";
    const authPath = options.authPath ?? "jwt";
    this.document = { type: "vault" as const, mount, authPath };
    const stack = TerraformStack.of(scope);
    if (!stack.node.findAll().some((construct) => construct instanceof VaultProvider)) new VaultProvider(stack, "vault", {});
    this.mountPath = options.createMount === false
      ? mount
      : new Mount(scope, "kv", { path: mount, type: "kv", options: { version: "2" }, description: "Secrets managed with Keybridge" }).path;
    this.jwt = new JwtAuthBackend(scope, "github-oidc", {
      path: authPath,
      type: "jwt",
      oidcDiscoveryUrl: issuerUrl,
      boundIssuer: issuerUrl,
      description: "GitHub Actions OIDC logins (Keybridge)",
    });
    this.jwtPath = this.jwt.path;
  }

  /** Vault has no projects or environments of its own: they are path segments. */
  addProject(): void {}

  addEnvironment(): void {}

  addSecret(scope: Construct, project: string, environment: string, secret: Secret): void {
    new GenericEndpoint(scope, `metadata-${environment}`, {
      path: `${this.mountPath}/metadata/${project}/${environment}/${secret.name}`,
      dataJson: JSON.stringify({ custom_metadata: rotationMetadata(secret) }),
      // Metadata only: never read back into state, never deleted (that would delete every version).
      disableRead: true,
      disableDelete: true,
      ignoreAbsentFields: true,
    });
  }

  addGrant(scope: Construct, project: string, grant: Grant): void {
    const name = `${project}-${grant.id}`;
    const rules = kvV2PolicyRules(this.mountPath, project, grant);
    const policy = new Policy(scope, "policy", {
      name: `keybridge-${name}`,
      policy: renderPolicyHcl(`Keybridge grant ${grant.id} of project ${project}`, rules),
    });
    const { principal } = grant;
    if (principal.kind === "sso-group") {
      const group = new IdentityGroup(scope, "group", { name: `keybridge-${name}`, type: "external", policies: [policy.name] });
      new IdentityGroupAlias(scope, "group-alias", { name: principal.group, mountAccessor: this.sso().accessor, canonicalId: group.id });
      return;
    }
    const role = new JwtAuthBackendRole(scope, "role", {
      backend: this.jwtPath,
      roleName: name,
      roleType: "jwt",
      userClaim: "repository",
      boundAudiences: [principal.audience],
      boundClaims: Object.fromEntries(Object.entries(principal.claims).map(([claim, values]) => [claim, values.join(",")])),
      boundClaimsType: principal.match === "glob" ? "glob" : "string",
      tokenTtl: grant.tokenTtlSeconds,
      tokenMaxTtl: grant.tokenMaxTtlSeconds,
      tokenPolicies: [policy.name],
    });
    this.ciRolesOf(scope.node.scope!, project)[grant.id] = {
      role: role.roleName,
      path: this.jwtPath,
      audience: principal.audience,
      environment: grant.environment,
      claims: principal.claims,
      secrets: rules.filter((rule) => rule.path.startsWith(`${this.mountPath}/data/`)).map((rule) => rule.path),
    };
  }

  /** One output per project (not per grant): what CI authors look up, and much cheaper to synthesize. */
  private ciRolesOf(projectScope: Construct, project: string): Record<string, unknown> {
    let roles = this.ciRoles.get(project);
    if (!roles) {
      roles = {};
      this.ciRoles.set(project, roles);
      const output = new TerraformOutput(projectScope, "ci-roles", { description: `The Action's inputs (role, path, audience, secrets) for each GitHub grant of ${project}`, value: roles });
      output.overrideLogicalId(terraformName(`ci_roles_${project}`));
    }
    return roles;
  }

  private sso(): DataVaultAuthBackend {
    this.ssoBackend ??= new DataVaultAuthBackend(this.context.scope, "sso-auth", { path: this.options.ssoAuthPath ?? "oidc" });
    return this.ssoBackend;
  }
}
