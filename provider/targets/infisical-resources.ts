// Small typed classes over raw resources of the infisical/infisical Terraform provider, which has
// no prebuilt CDKTF bindings. Attributes are written in the provider's snake_case as given.
// ref() is the Terraform expression itself, not a token, and plain bodies skip the framework's
// resolver (provider/settled-elements.ts).
import { Construct, TerraformProvider } from "../cdk.ts";
import { SettledResource } from "../settled-elements.ts";
import { declareResource, type ResourceAddress } from "../deferred-resources.ts";

const providerName = "infisical";
export const infisicalProviderSource = "infisical/infisical";
export const infisicalProviderVersion = "~> 0.19";

export interface InfisicalProviderConfig {
  /** The Infisical address. @default the INFISICAL_HOST environment variable, else app.infisical.com */
  readonly host?: string;
}

export class InfisicalProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, private readonly config: InfisicalProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: providerName,
      terraformProviderSource: infisicalProviderSource,
      terraformGeneratorMetadata: { providerName, providerVersionConstraint: infisicalProviderVersion },
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.config.host ? { host: this.config.host } : {};
  }
}

/** One `infisical_*` resource with the attributes given; `ref()` reads a computed attribute. */
export class InfisicalResource<Attributes extends object> extends SettledResource<Attributes> {
  constructor(scope: Construct, id: string, type: `infisical_${string}`, attributes: Attributes) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName } }, attributes);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes } as Record<string, unknown>;
  }
}

function makeInfisicalResource(scope: Construct, id: string, type: string, attributes: object): InfisicalResource<object> {
  return new InfisicalResource(scope, id, type as `infisical_${string}`, attributes);
}

/**
 * An `infisical_*` resource, made as an InfisicalResource when something looks for it in the
 * construct tree and kept as a record until then (provider/deferred-resources.ts): for the many a
 * platform declares per grant and per secret.
 */
export function declareInfisicalResource<Attributes extends object>(scope: Construct, id: string, type: `infisical_${string}`, attributes: Attributes): ResourceAddress {
  return declareResource(scope, id, type, attributes, makeInfisicalResource);
}

export interface ProjectAttributes { readonly name: string; readonly slug: string; readonly description: string; readonly should_create_default_envs: false }
export interface EnvironmentAttributes { readonly name: string; readonly slug: string; readonly project_id: string }
export interface FolderAttributes { readonly project_id: string; readonly environment_slug: string; readonly folder_path: string; readonly name: string; readonly description?: string }
export interface IdentityAttributes { readonly name: string; readonly org_id: string; readonly role: string }
export interface OidcAuthAttributes {
  readonly identity_id: string;
  readonly oidc_discovery_url: string;
  readonly bound_issuer: string;
  readonly bound_audiences: readonly string[];
  readonly bound_claims: Readonly<Record<string, string>>;
  readonly access_token_ttl: number;
  readonly access_token_max_ttl: number;
  readonly access_token_num_uses_limit: number;
}
export interface PermissionV2 { readonly subject: string; readonly action: readonly string[]; readonly conditions?: string; readonly inverted?: boolean }
export interface ProjectRoleAttributes { readonly project_slug: string; readonly name: string; readonly slug: string; readonly description: string; readonly permissions_v2: readonly PermissionV2[] }
export interface ProjectRoleBinding { readonly role_slug: string }
export interface ProjectIdentityAttributes { readonly project_id: string; readonly identity_id: string; readonly roles: readonly ProjectRoleBinding[] }
export interface ProjectGroupAttributes { readonly project_id: string; readonly group_name: string; readonly roles: readonly ProjectRoleBinding[] }
export interface KubernetesAuthAttributes {
  readonly identity_id: string;
  readonly kubernetes_host: string;
  readonly kubernetes_ca_certificate: string;
  readonly allowed_namespaces: readonly string[];
  readonly allowed_service_account_names: readonly string[];
  readonly allowed_audience: string;
  readonly access_token_ttl: number;
  readonly access_token_max_ttl: number;
  readonly access_token_num_uses_limit: number;
}
