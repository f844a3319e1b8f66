// The provider bridge's public API: declare secrets, environments and grants once; synth writes the
// backend's Terraform resources and keybridge.policy.json.
export { App, TerraformStack, LocalBackend, Testing } from "./cdk.ts";
export { SecretsPlatform, policyDocumentFile, githubIssuerUrl, type SecretsPlatformProps } from "./platform.ts";
export { SecretsProject, type ProjectOptions, type EnvironmentOptions, type EnvironmentSpec, type SecretOptions, type CustomGrantOptions } from "./project.ts";
export { SecretGrant, type GrantOptions, type Acknowledgement } from "./grant.ts";
export { GitHubOidc, SsoGroup, KubernetesServiceAccount, type IPrincipal, type GitHubJobConditions, type RunnerEnvironment } from "./principals.ts";
export { Duration } from "./duration.ts";
export { Rotation } from "./rotation.ts";
export { VaultBackend, type VaultKvV2Options } from "./targets/vault.ts";
export { InfisicalBackend, type InfisicalProjectOptions } from "./targets/infisical.ts";
export { InfisicalProvider } from "./targets/infisical-resources.ts";
export type { IBackendTarget } from "./targets/target.ts";
export { KubernetesCluster, type KubernetesClusterProps } from "./kubernetes/cluster.ts";
export type { KubernetesSyncOptions } from "./kubernetes/sync-options.ts";
export type { RolloutRestartTarget, RolloutRestartKind } from "./kubernetes/sync-spec.ts";
