// A workload's OIDC token kept in a file (a Kubernetes projected service-account token, a CI
// system's id token), sent to Vault's JWT method.
import type { SecretsBackend, Session } from "../backends/backend.ts";
import { readCredentialFile, type LoginContext, type LoginTarget } from "./auth-method.ts";

export interface JwtFileSettings {
  readonly jwtFile: string;
  readonly role?: string | undefined;
  readonly path?: string | undefined;
}

export function target(settings: JwtFileSettings): LoginTarget {
  return { role: settings.role, authPath: settings.path };
}

export async function login(backend: SecretsBackend, settings: JwtFileSettings, context: LoginContext): Promise<Session> {
  const jwt = readCredentialFile("the OIDC token", settings.jwtFile);
  context.onCredential?.(jwt);
  return backend.loginWithJwt(jwt);
}
