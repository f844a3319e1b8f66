// A workload's OIDC token kept in a file (a Kubernetes projected service-account token, a CI
// system's id token), sent to Vault's JWT method.
import { readCredentialFile, type AuthMethod } from "./auth-method.ts";

export interface JwtFileSettings {
  readonly jwtFile: string;
  readonly role?: string | undefined;
  readonly path?: string | undefined;
}

export const jwtFile: AuthMethod<JwtFileSettings> = {
  target: (settings) => ({ role: settings.role, authPath: settings.path }),
  async login(backend, settings, context) {
    const jwt = readCredentialFile("the OIDC token", settings.jwtFile);
    context.onCredential?.(jwt);
    return backend.loginWithJwt(jwt);
  },
};
