// A workload's OIDC token kept in a file, sent to Infisical's OIDC auth of one machine identity.
import { readCredentialFile, type AuthMethod } from "./auth-method.ts";

export interface InfisicalOidcFileSettings {
  readonly jwtFile: string;
  readonly identityId: string;
}

export const infisicalOidcFile: AuthMethod<InfisicalOidcFileSettings> = {
  target: (settings) => ({ identityId: settings.identityId }),
  async login(backend, settings, context) {
    const jwt = readCredentialFile("the OIDC token", settings.jwtFile);
    context.onCredential?.(jwt);
    return backend.loginWithJwt(jwt);
  },
};
