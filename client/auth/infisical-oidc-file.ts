// A workload's OIDC token kept in a file, sent to Infisical's OIDC auth of one machine identity.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import { readCredentialFile, type LoginContext, type LoginTarget } from "./auth-method.ts";

export interface InfisicalOidcFileSettings {
  readonly jwtFile: string;
  readonly identityId: string;
}

export function target(settings: InfisicalOidcFileSettings): LoginTarget {
  return { identityId: settings.identityId };
}

export async function login(backend: SecretsBackend, settings: InfisicalOidcFileSettings, context: LoginContext): Promise<Session> {
  const jwt = readCredentialFile("the OIDC token", settings.jwtFile);
  context.onCredential?.(jwt);
  return backend.loginWithJwt(jwt);
}
