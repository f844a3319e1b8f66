// GitHub Actions' OIDC token (or the dev backend's stand-in), requested right before the login
// because it lives about five minutes; Vault's JWT method or Infisical's OIDC auth takes it.
import { oidcRequestFromEnv, requestIdToken } from "../oidc.ts";
import type { SecretsBackend, Session } from "../backends/backend.ts";
import type { LoginContext, LoginTarget } from "./auth-method.ts";

export interface GitHubOidcSettings {
  readonly role?: string | undefined;
  readonly path?: string | undefined;
  readonly audience?: string | undefined;
}

export function target(settings: GitHubOidcSettings): LoginTarget {
  return { role: settings.role, authPath: settings.path };
}

export async function login(backend: SecretsBackend, settings: GitHubOidcSettings, context: LoginContext): Promise<Session> {
  const request = oidcRequestFromEnv(context.env);
  context.log?.(`Requesting the job's OIDC token (audience ${settings.audience ?? "GitHub's default, https://github.com/<owner>"})`);
  const jwt = await requestIdToken(context.http, request, settings.audience);
  context.onCredential?.(jwt);
  return backend.loginWithJwt(jwt);
}
