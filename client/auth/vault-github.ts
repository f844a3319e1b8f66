// Vault's GitHub method: a GitHub token with read:org (given, in a file, or in
// VAULT_AUTH_GITHUB_TOKEN as the Vault CLI reads it); Vault maps its user and teams in the
// configured organization to policies. Not GitHub Actions' OIDC token (github-oidc.ts).
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";
import { credential, type CredentialSource } from "./credential.ts";
import { vaultOnly } from "./backend-only.ts";

export interface VaultGitHubSettings {
  readonly githubToken?: CredentialSource | undefined;
  readonly path?: string | undefined;
}

export function target(settings: VaultGitHubSettings): LoginTarget {
  return { authPath: settings.path ?? "github" };
}

export async function login(backend: SecretsBackend, settings: VaultGitHubSettings, context: LoginContext): Promise<Session> {
  const vault = vaultOnly(backend, "GitHub");
  const token = credential("GitHub token", settings.githubToken ?? {}, context.env, "VAULT_AUTH_GITHUB_TOKEN");
  context.onCredential?.(token);
  return vault.login({
    what: "GitHub", mount: settings.path ?? "github", body: { token },
    advice: "check that the GitHub token is current, has read:org, and belongs to a member of the mount's organization whose user or teams map to policies",
  });
}
