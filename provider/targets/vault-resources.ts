// The few resources of the hashicorp/vault Terraform provider the Vault target writes, as small
// classes over the framework's generic resource: prebuilt bindings require("cdktf") and so cannot
// run under cdktn. Attributes are the provider's snake_case names, written in alphabetical order
// as generated bindings write them, so cdk.tf.json stays byte for byte what the bindings wrote.
// ref() is the Terraform expression itself, not a token, and plain bodies skip the framework's
// resolver (provider/settled-elements.ts).
import { Construct, TerraformProvider } from "../cdk.ts";
import { SettledDataSource, SettledResource } from "../settled-elements.ts";
import { compareText } from "../../policy/text-order.ts";
import { declareResource, type ResourceAddress } from "../deferred-resources.ts";

const providerName = "vault";
const terraformGeneratorMetadata = { providerName, providerVersion: "5.6.0", providerVersionConstraint: "~> 5.0" };

function sortedAttributes(attributes: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => compareText(a, b)));
}

/** The provider block; its address and token come from VAULT_ADDR and VAULT_TOKEN at apply time. */
export class VaultProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: providerName, terraformGeneratorMetadata, terraformProviderSource: "hashicorp/vault" });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

/** One `vault_*` resource with the attributes given; `ref()` reads an attribute as a Terraform reference. */
export class VaultResource<Attributes extends object> extends SettledResource<Attributes> {
  constructor(scope: Construct, id: string, type: `vault_${string}`, attributes: Attributes) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata }, attributes);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return sortedAttributes(this.attributes);
  }
}

function makeVaultResource(scope: Construct, id: string, type: string, attributes: object): VaultResource<object> {
  return new VaultResource(scope, id, type as `vault_${string}`, attributes);
}

/**
 * A `vault_*` resource, made as a VaultResource when something looks for it in the construct tree
 * and kept as a record until then (provider/deferred-resources.ts): for the thousands a platform
 * declares per grant and per secret.
 */
export function declareVaultResource<Attributes extends object>(scope: Construct, id: string, type: `vault_${string}`, attributes: Attributes): ResourceAddress {
  return declareResource(scope, id, type, attributes, makeVaultResource);
}

/** One `vault_*` data source, read at plan time. */
export class VaultDataSource<Attributes extends object> extends SettledDataSource<Attributes> {
  constructor(scope: Construct, id: string, type: `vault_${string}`, attributes: Attributes) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata }, attributes);
  }

  /** What the framework's reference token resolves to, within this data source's stack. */
  ref(attribute: string): string {
    return `\${data.${this.terraformResourceType}.${this.friendlyUniqueId}.${attribute}}`;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return sortedAttributes(this.attributes);
  }
}

export interface MountAttributes { readonly path: string; readonly type: string; readonly options: Readonly<Record<string, string>>; readonly description: string }
export interface JwtAuthBackendAttributes { readonly path: string; readonly type: "jwt"; readonly oidc_discovery_url: string; readonly bound_issuer: string; readonly description: string }
export interface GenericEndpointAttributes {
  readonly path: string;
  readonly data_json: string;
  readonly disable_read: boolean;
  readonly disable_delete: boolean;
  readonly ignore_absent_fields: boolean;
}
export interface PolicyAttributes { readonly name: string; readonly policy: string }
export interface IdentityGroupAttributes { readonly name: string; readonly type: "external"; readonly policies: readonly string[] }
export interface IdentityGroupAliasAttributes { readonly name: string; readonly mount_accessor: string; readonly canonical_id: string }
export interface JwtAuthBackendRoleAttributes {
  readonly backend: string;
  readonly role_name: string;
  readonly role_type: "jwt";
  readonly user_claim: string;
  readonly bound_audiences: readonly string[];
  readonly bound_claims: Readonly<Record<string, string>>;
  readonly bound_claims_type: "glob" | "string";
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_policies: readonly string[];
}
export interface AuthBackendAttributes { readonly path: string }
export interface KubernetesAuthMountAttributes { readonly path: string; readonly type: "kubernetes"; readonly description: string }
export interface KubernetesAuthBackendConfigAttributes {
  readonly backend: string;
  readonly kubernetes_host: string;
  readonly kubernetes_ca_cert: string;
  readonly disable_local_ca_jwt: boolean;
}
export interface KubernetesAuthBackendRoleAttributes {
  readonly backend: string;
  readonly role_name: string;
  readonly bound_service_account_names: readonly string[];
  readonly bound_service_account_namespaces: readonly string[];
  readonly audience: string;
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_policies: readonly string[];
}
export interface DatabaseStaticRoleAttributes { readonly backend: string; readonly name: string; readonly db_name: string; readonly username: string; readonly rotation_period: number }
