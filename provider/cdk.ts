// Every import of cdktf and of the prebuilt Vault bindings goes through this module, so moving to
// cdktn (the maintained fork of the archived cdktf) is a change here and nowhere else.
export { App, TerraformStack, TerraformOutput, TerraformResource, TerraformProvider, LocalBackend, Annotations, Testing } from "cdktf";
export type { ISynthesisSession, IStackSynthesizer } from "cdktf";
export { Construct, type IConstruct } from "constructs";
export { VaultProvider } from "@cdktf/provider-vault/lib/provider/index.js";
export { Mount } from "@cdktf/provider-vault/lib/mount/index.js";
export { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend/index.js";
export { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role/index.js";
export { Policy } from "@cdktf/provider-vault/lib/policy/index.js";
export { GenericEndpoint } from "@cdktf/provider-vault/lib/generic-endpoint/index.js";
export { IdentityGroup } from "@cdktf/provider-vault/lib/identity-group/index.js";
export { IdentityGroupAlias } from "@cdktf/provider-vault/lib/identity-group-alias/index.js";
export { DataVaultAuthBackend } from "@cdktf/provider-vault/lib/data-vault-auth-backend/index.js";
