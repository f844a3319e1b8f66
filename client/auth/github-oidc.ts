// GitHub Actions' OIDC token (or the dev backend's stand-in), requested right before the login
// because it lives about five minutes; Vault's JWT method or Infisical's OIDC auth takes it.
import { oidcRequestFromEnv, requestIdToken, type OidcRequest } from "../oidc.ts";
import type { AuthMethod } from "./auth-method.ts";

export interface GitHubOidcSettings {
  readonly role?: string | undefined;
  readonly path?: string | undefined;
  readonly audience?: string | undefined;
  /** The runner's request pair, when the caller already checked it is there. */
  readonly request?: OidcRequest | undefined;
}

export const githubOidc: AuthMethod<GitHubOidcSettings> = {
  target: (settings) => ({ role: settings.role, authPath: settings.path }),
  async login(backend, settings, context) {
    const request = settings.request ?? oidcRequestFromEnv(context.env);
    context.log?.(`Requesting the job's OIDC token (audience ${settings.audience ?? "GitHub's default, https://github.com/<owner>"})`);
    const jwt = await requestIdToken(context.http, request, settings.audience);
    context.onCredential?.(jwt);
    return backend.loginWithJwt(jwt);
  },
};
